"""The upload box in Chinese, including the messages Streamlit's front end writes itself.

The dropzone's words are replaced by CSS (``import.uploader_css``).  A file larger than
``server.maxUploadSize`` is refused by the browser before any byte is sent (so the server's
memory stays bounded and our Chinese guard never sees it) with a message built in
Streamlit's JavaScript: "File must be 257.0MB or smaller.", shown in the file chip, its
alert and its tooltip; likewise "… files are not allowed." and a failed upload's
"AxiosError …".  No setting translates them (``st.file_uploader(max_upload_size=…)`` only
moves the limit), so a small script replaces those texts in the page as they appear
(a ``MutationObserver``), with labels from the catalogue.  The script is a constant: no
imported or typed text goes into it, only catalogue labels and the limit, JSON-encoded.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.labels import t
from data.upload_limits import Limits

_SCRIPT = """<script>
(() => {
  const words = %s;
  if (window.__maUploaderWords) { window.__maUploaderWords.words = words; return; }
  const state = window.__maUploaderWords = {words};
  const rules = () => [
    [/^\\s*File must be .* or smaller\\.?\\s*$/, state.words.too_large],
    [/^\\s*.* files are not allowed\\.?\\s*$/, state.words.bad_type],
    [/^\\s*(AxiosError|Request failed|Upload failed|Unexpected error|Network Error).*$/, state.words.failed],
    [/^\\s*Error:\\s*$/, state.words.error],
    [/^\\s*Click to retry upload\\s*$/, state.words.retry],
  ];
  const fixText = (text) => {
    for (const [re, to] of rules()) if (re.test(text)) return to;
    return null;
  };
  const fixNode = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const to = fixText(node.data);
      if (to !== null && to !== node.data) node.data = to;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const attr of ["title", "aria-label"]) {
      const v = node.getAttribute(attr);
      if (!v) continue;
      const to = fixText(v) ?? (v.startsWith("Remove ") ? state.words.remove + v.slice(7) : null);
      if (to !== null && to !== v) node.setAttribute(attr, to);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixNode(n);
    for (const el of node.querySelectorAll("[title], [aria-label]")) {
      if (el !== node) fixNode(el);
    }
  };
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "characterData") fixNode(c.target);
      else if (c.type === "attributes") fixNode(c.target);
      else c.addedNodes.forEach(fixNode);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                              attributes: true, attributeFilter: ["title", "aria-label"]});
  fixNode(document.body);
})();
</script>"""


def words(limit_mb: int) -> dict[str, str]:
    """The Chinese texts that replace the front end's English ones."""
    return {"too_large": t("import.uploader_too_large", mb=limit_mb), "bad_type": t("import.uploader_bad_type"),
            "failed": t("import.uploader_failed"), "error": t("import.uploader_error"),
            "retry": t("import.uploader_retry"), "remove": t("import.uploader_remove")}


def install() -> None:
    """The upload box's CSS and the script that puts its messages in Chinese (once per page run)."""
    limit = Limits.from_env().file_mb
    script = _SCRIPT % json.dumps(words(limit), ensure_ascii=False).replace("</", "<\\/")
    st.html(f"<style>{t('import.uploader_css', mb=limit)}</style>{script}", unsafe_allow_javascript=True)
