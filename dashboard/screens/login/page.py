"""登录: sign in with an account the administrator created."""

from dashboard.screens.login.form import render

render()
