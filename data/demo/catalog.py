"""Static reference content of the demo dataset: departments, the negative list, service items.

Everything here is plain data, written to look like what the Jianghai District offices and
the national 市场准入负面清单 actually hold; :mod:`data.demo.build` turns it into tables.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- departments -------------------------------------------------------------------------

# (dept_code, dept_name, dept_type, joint_meeting, convener, short name used in texts)
DEPARTMENTS: tuple[tuple[str, str, str, bool, bool, str], ...] = (
    ("JH001", "区发展改革局", "区直部门", True, True, "区发改局"),
    ("JH002", "区经济促进局", "区直部门", True, True, "区经促局"),
    ("JH003", "区民政局", "区直部门", True, False, "区民政局"),
    ("JH004", "区市场监管局", "区直部门", True, False, "区市场监管局"),
    ("JH005", "区政务和数据局", "区直部门", True, False, "区政数局"),
    ("JH006", "区工商联", "群团组织", True, False, "区工商联"),
    ("JH007", "国家税务总局江门市江海区税务局", "垂直管理部门", True, False, "区税务局"),
    ("JH008", "区卫生健康局", "区直部门", False, False, "区卫健局"),
    ("JH009", "区住房城乡建设局", "区直部门", False, False, "区住建局"),
    ("JH010", "区文化广电旅游体育局", "区直部门", False, False, "区文广旅体局"),
    ("JH011", "区交通运输局", "区直部门", False, False, "区交通运输局"),
    ("JH012", "区应急管理局", "区直部门", False, False, "区应急管理局"),
    ("JH013", "江门市生态环境局江海分局", "垂直管理部门", False, False, "江海生态环境分局"),
    ("JH014", "区人力资源社会保障局", "区直部门", False, False, "区人社局"),
    ("JH015", "区教育局", "区直部门", False, False, "区教育局"),
    ("JH016", "区农业农村局", "区直部门", False, False, "区农业农村局"),
    ("JH017", "江南街道", "街道", False, False, "江南街道"),
    ("JH018", "外海街道", "街道", False, False, "外海街道"),
    ("JH019", "礼乐街道", "街道", False, False, "礼乐街道"),
)
STREETS = ("JH017", "JH018", "JH019")
STREET_SHARE = (0.45, 0.30, 0.25)  # where the district's applicants are located
DEPT_NAME = {d[0]: d[1] for d in DEPARTMENTS}
DEPT_SHORT = {d[0]: d[5] for d in DEPARTMENTS}

# --- negative list -----------------------------------------------------------------------

LIST_2022_EFFECTIVE = "2022-03-28"
LIST_2025_EFFECTIVE = "2025-04-24"

# 禁止准入类: (nl_code, name, measures, authority)
PROHIBITED: tuple[tuple[str, str, str, str], ...] = (
    (
        "JZ01",
        "法律、法规、国务院决定等明确设立，且与市场准入相关的禁止性规定",
        "详见清单附件《与市场准入相关的禁止性规定》，涉及禁止投资经营的行业、领域、业务等",
        "有关部门",
    ),
    (
        "JZ02",
        "国家产业政策明令淘汰和限制的产品、技术、工艺、设备及行为",
        "《产业结构调整指导目录》中的淘汰类项目，禁止投资；限制类项目，禁止新建",
        "国家发展改革委",
    ),
    (
        "JZ03",
        "不符合主体功能区建设要求的各类开发活动",
        "禁止在国家重点生态功能区、农产品主产区等区域违规开展不符合主体功能定位的开发活动",
        "国家发展改革委、自然资源部",
    ),
    (
        "JZ04",
        "禁止违规开展金融相关经营活动",
        "非金融机构、不从事金融活动的企业，在注册名称和经营范围中原则上不得使用“金融”“交易所”“理财”等字样",
        "中国人民银行、国家金融监督管理总局、中国证监会",
    ),
    (
        "JZ05",
        "禁止违规开展互联网相关经营活动",
        "禁止非法开展互联网新闻信息服务、网络出版服务和网络视听节目服务",
        "国家网信办、国家新闻出版署、国家广电总局",
    ),
    (
        "JZ06",
        "禁止违规开展新闻传媒相关业务",
        "非公有资本不得从事新闻采编播发业务，不得投资设立和经营新闻机构",
        "中央宣传部、国家广电总局",
    ),
)

# 许可准入类: (tag, name, measures, authority, versions) where versions is "both", "2022" or "2025".
# The nl_code of the k-th entry is XK{k:03d}; it is stable across versions.
LICENSED: tuple[tuple[str, str, str, str, str], ...] = (
    # 综合
    ("invest", "未获得许可，不得投资建设特定固定资产投资项目", "企业投资项目核准；固定资产投资项目节能审查", "国家发展改革委", "both"),
    # 农、林、牧、渔业
    ("seed", "未获得许可，不得从事农作物种子、食用菌菌种生产经营", "农作物种子生产经营许可；食用菌菌种生产经营许可", "农业农村部", "both"),
    ("forestseed", "未获得许可，不得从事林木种子生产经营", "林木种子生产经营许可证核发", "国家林草局", "both"),
    ("breed", "未获得许可，不得从事种畜禽生产经营", "种畜禽生产经营许可", "农业农村部", "both"),
    ("fry", "未获得许可，不得从事水产苗种生产经营", "水产苗种生产经营审批", "农业农村部", "both"),
    ("vetdrug", "未获得许可，不得从事兽药生产经营", "兽药生产许可证核发；兽药经营许可证核发", "农业农村部", "both"),
    ("feed", "未获得许可，不得从事饲料、饲料添加剂生产", "饲料和饲料添加剂生产许可", "农业农村部", "both"),
    ("pesticide", "未获得许可，不得从事农药生产经营", "农药生产许可；农药经营许可", "农业农村部", "both"),
    ("animal", "未获得许可，不得从事动物饲养、屠宰、诊疗及动物产品经营等相关活动", "动物防疫条件合格证核发；动物诊疗许可；生鲜乳收购站许可", "农业农村部", "both"),
    ("fishing", "未获得许可，不得从事渔业捕捞和水域滩涂养殖", "渔业捕捞许可；水域滩涂养殖证核发", "农业农村部", "both"),
    ("logging", "未获得许可，不得从事林木采伐", "林木采伐许可证核发", "国家林草局", "both"),
    ("wildlife", "未获得许可，不得从事野生动植物猎捕、人工繁育和经营利用", "野生动物人工繁育许可；野生动物及其制品出售、购买、利用许可", "国家林草局、农业农村部", "both"),
    ("grassseed", "未获得许可，不得从事草种生产经营", "草种生产经营许可证核发", "国家林草局", "2022"),
    # 采矿业
    ("mining", "未获得许可，不得从事矿产资源勘查开采", "探矿权、采矿权审批", "自然资源部", "both"),
    ("oilgas", "未获得许可，不得从事石油天然气勘查开采", "石油天然气勘查、开采审批", "自然资源部、国家能源局", "both"),
    ("coal", "未获得许可，不得从事煤炭开采", "煤矿安全生产许可", "国家矿山安全监察局", "both"),
    ("nonecoal", "未获得许可，不得从事非煤矿山开采", "非煤矿矿山企业安全生产许可", "应急管理部", "both"),
    # 制造业
    ("foodprod", "未获得许可，不得从事特定食品生产", "食品生产许可；食品添加剂生产许可；食品小作坊登记", "市场监管总局", "both"),
    ("drugprod", "未获得许可，不得从事药品生产", "药品生产许可", "国家药监局", "both"),
    ("deviceprod", "未获得许可，不得从事医疗器械生产", "第二类、第三类医疗器械生产许可", "国家药监局", "both"),
    ("cosmetic", "未获得许可，不得从事化妆品生产", "化妆品生产许可", "国家药监局", "both"),
    ("hazprod", "未获得许可，不得从事危险化学品生产", "危险化学品安全生产许可", "应急管理部", "both"),
    ("fireworkprod", "未获得许可，不得从事烟花爆竹生产", "烟花爆竹安全生产许可", "应急管理部", "both"),
    ("explosive", "未获得许可，不得从事民用爆炸物品生产、销售", "民用爆炸物品生产许可；民用爆炸物品销售许可", "工业和信息化部、公安部", "both"),
    ("industrial", "未获得许可，不得从事重要工业产品生产", "重要工业产品生产许可证核发", "市场监管总局", "both"),
    ("equipprod", "未获得许可，不得从事特种设备生产", "特种设备生产单位许可", "市场监管总局", "both"),
    ("specialequip", "未获得许可，不得使用特定特种设备", "特种设备使用登记", "市场监管总局", "both"),
    ("tobaccoprod", "未获得许可，不得从事烟草制品生产", "烟草专卖生产企业许可", "国家烟草专卖局", "both"),
    ("chemweapon", "未获得许可，不得从事监控化学品生产、使用", "第二类、第三类监控化学品生产特别许可；第二类监控化学品使用许可", "工业和信息化部", "both"),
    ("precursor", "未获得许可，不得从事易制毒化学品生产经营", "第一类非药品类易制毒化学品生产、经营许可；第二类、第三类非药品类易制毒化学品生产、经营备案", "应急管理部、公安部", "both"),
    ("aircraft", "未获得许可，不得从事民用航空器及其零部件生产", "民用航空器生产许可；民用航空器零部件制造许可", "中国民航局", "both"),
    ("weapon", "未获得许可，不得从事武器装备科研生产", "武器装备科研生产许可", "国家国防科工局", "both"),
    ("print", "未获得许可，不得从事印刷经营活动", "印刷经营许可（出版物、包装装潢印刷品、其他印刷品）", "国家新闻出版署", "both"),
    ("avcopy", "未获得许可，不得从事音像制品、电子出版物复制", "音像制品、电子出版物复制单位设立审批", "国家新闻出版署", "2022"),
    ("disinfect", "未获得许可，不得从事消毒产品生产", "消毒产品生产企业卫生许可", "国家卫生健康委", "both"),
    ("ozone", "未获得许可，不得从事消耗臭氧层物质生产、使用", "消耗臭氧层物质生产、使用配额许可", "生态环境部", "2022"),
    # 电力、热力、燃气及水生产和供应业
    ("water", "未获得许可，不得从事集中式供水", "饮用水供水单位卫生许可", "国家卫生健康委、住房城乡建设部", "both"),
    ("power", "未获得许可，不得从事电力业务", "电力业务许可", "国家能源局", "both"),
    ("powerinstall", "未获得许可，不得从事承装（修、试）电力设施业务", "承装（修、试）电力设施许可", "国家能源局", "both"),
    ("gas", "未获得许可，不得从事燃气经营", "燃气经营许可；燃气经营者改动市政燃气设施审批", "住房城乡建设部", "both"),
    ("drain", "未获得许可，不得从事城镇污水排入排水管网相关活动", "城镇污水排入排水管网许可", "住房城乡建设部", "both"),
    ("waterdraw", "未获得许可，不得取水或建设水利工程", "取水许可；水利基建项目初步设计文件审批", "水利部", "both"),
    # 建筑业
    ("buildqual", "未获得许可或资质，不得从事建筑活动", "建筑业企业资质核准；工程勘察、设计、监理企业资质认定", "住房城乡建设部", "both"),
    ("buildpermit", "未获得许可，不得开工建设特定建设工程", "建筑工程施工许可证核发", "住房城乡建设部", "both"),
    ("fire", "未获得许可，不得开展特殊建设工程消防设计施工和投入使用", "特殊建设工程消防设计审查；特殊建设工程消防验收", "住房城乡建设部", "both"),
    ("road", "未获得许可，不得占用、挖掘城市道路或在公路范围内从事施工", "占用、挖掘城市道路审批；涉路施工许可；公路建筑控制区内埋设管线许可", "住房城乡建设部、交通运输部", "both"),
    ("planning", "未获得许可，不得进行特定规划建设活动", "建设用地规划许可；建设工程规划许可；乡村建设规划许可", "自然资源部", "both"),
    ("waste", "未获得许可，不得从事城市建筑垃圾处置", "城市建筑垃圾处置核准", "住房城乡建设部", "both"),
    ("ad", "未获得许可，不得设置大型户外广告", "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", "住房城乡建设部", "both"),
    ("qualitytest", "未获得许可，不得从事建设工程质量检测", "建设工程质量检测机构资质核准", "住房城乡建设部", "2025"),
    # 批发和零售业
    ("foodbiz", "未获得许可，不得从事特定食品经营", "食品经营许可；食品摊贩登记", "市场监管总局", "both"),
    ("drugstore", "未获得许可，不得从事药品经营", "药品批发企业经营许可；药品零售企业经营许可", "国家药监局", "both"),
    ("device", "未获得许可，不得从事特定医疗器械经营", "第三类医疗器械经营许可；第二类医疗器械经营备案", "国家药监局", "both"),
    ("hazchem", "未获得许可，不得从事危险化学品经营", "危险化学品经营许可", "应急管理部", "both"),
    ("firework", "未获得许可，不得从事烟花爆竹经营", "烟花爆竹经营（批发）许可；烟花爆竹经营（零售）许可", "应急管理部", "both"),
    ("oil", "未获得许可，不得从事成品油经营", "成品油零售经营资格审批", "商务部", "both"),
    ("tobacco", "未获得许可，不得从事烟草专卖品经营", "烟草专卖批发企业许可；烟草专卖零售许可", "国家烟草专卖局", "both"),
    ("publication", "未获得许可，不得从事出版物发行", "出版物批发、零售业务经营许可", "国家新闻出版署", "both"),
    ("auction", "未获得许可，不得从事拍卖业务", "拍卖企业设立审批", "商务部", "2022"),
    ("scrap", "未获得许可，不得从事报废机动车回收拆解", "报废机动车回收拆解企业资质认定", "商务部", "both"),
    ("antique", "未获得许可，不得从事文物经营", "文物商店设立审批；文物拍卖许可", "国家文物局", "2022"),
    # 交通运输、仓储和邮政业
    ("roadtransport", "未获得许可，不得从事道路运输经营及道路运输站（场）经营", "道路旅客运输经营许可；道路货物运输经营许可（使用总质量4.5吨及以下普通货运车辆的除外）；道路旅客运输站经营许可", "交通运输部", "both"),
    ("dangergoods", "未获得许可，不得从事危险货物道路运输", "道路危险货物运输许可", "交通运输部", "both"),
    ("oversize", "未获得许可，不得从事超限运输", "超限运输车辆行驶公路许可", "交通运输部", "both"),
    ("waterway", "未获得许可，不得从事水路运输及港口经营", "国内水路运输经营许可；港口经营许可", "交通运输部", "both"),
    ("taxi", "未获得许可，不得从事出租汽车经营", "巡游出租汽车经营许可；网络预约出租汽车经营许可", "交通运输部", "both"),
    ("airline", "未获得许可，不得从事民用航空运输", "公共航空运输企业经营许可", "中国民航局", "both"),
    ("railway", "未获得许可，不得从事铁路运输", "铁路运输企业准入许可", "国家铁路局", "both"),
    ("express", "未获得许可，不得从事快递业务", "快递业务经营许可", "国家邮政局", "both"),
    ("drone", "未获得许可，不得从事民用无人驾驶航空器经营性飞行活动", "民用无人驾驶航空器运营合格证", "中国民航局", "2025"),
    ("transtest", "未获得许可，不得从事公路水运工程质量检测", "公路水运工程质量检测机构资质认定", "交通运输部", "2025"),
    # 住宿和餐饮业、居民服务业
    ("hotel", "未获得许可，不得从事旅馆业经营", "旅馆业特种行业许可", "公安部", "both"),
    ("publicplace", "未获得许可，不得从事特定公共场所经营", "公共场所卫生许可", "国家卫生健康委", "both"),
    ("funeral", "未获得许可，不得从事殡葬设施建设经营", "殡葬设施建设审批", "民政部", "both"),
    ("garbage", "未获得许可，不得从事城市生活垃圾经营性清扫、收集、运输、处理服务", "从事城市生活垃圾经营性清扫、收集、运输、处理服务审批", "住房城乡建设部", "2025"),
    # 信息传输、软件和信息技术服务业
    ("telecom", "未获得许可，不得从事电信业务", "基础电信业务经营许可；增值电信业务经营许可", "工业和信息化部", "both"),
    ("netnews", "未获得许可，不得从事互联网新闻信息服务", "互联网新闻信息服务许可", "国家网信办", "both"),
    ("radio", "未获得许可，不得设置、使用无线电台（站）", "无线电台执照核发；无线电频率使用许可", "工业和信息化部", "both"),
    ("tvprod", "未获得许可，不得从事广播电视节目制作经营", "广播电视节目制作经营许可", "国家广电总局", "both"),
    ("satellite", "未获得许可，不得从事卫星电视广播地面接收设施安装服务", "卫星电视广播地面接收设施安装服务许可", "国家广电总局", "2022"),
    ("netcafe", "未获得许可，不得从事互联网上网服务经营", "互联网上网服务营业场所经营单位设立审批", "文化和旅游部", "both"),
    ("netculture", "未获得许可，不得从事经营性互联网文化活动", "经营性互联网文化单位设立审批", "文化和旅游部", "both"),
    # 金融业
    ("bank", "未获得许可，不得从事银行业金融机构业务", "银行业金融机构设立、变更审批", "国家金融监督管理总局", "both"),
    ("securities", "未获得许可，不得从事证券期货业务", "证券公司、期货公司设立审批", "中国证监会", "both"),
    ("insurance", "未获得许可，不得从事保险业务", "保险机构设立审批；保险中介机构经营许可", "国家金融监督管理总局", "both"),
    ("payment", "未获得许可，不得从事支付业务", "非银行支付机构设立审批", "中国人民银行", "both"),
    ("localfinance", "未获得许可，不得从事融资担保、小额贷款等地方金融业务", "融资担保公司设立审批；小额贷款公司设立审批", "地方金融管理部门", "both"),
    ("forex", "未获得许可，不得从事外汇业务", "外汇业务经营许可", "国家外汇局", "both"),
    # 房地产业
    ("realestate", "未获得许可，不得从事房地产开发经营", "房地产开发企业资质核定；商品房预售许可", "住房城乡建设部", "both"),
    # 租赁和商务服务业
    ("dispatch", "未获得许可，不得从事劳务派遣业务", "劳务派遣经营许可", "人力资源社会保障部", "both"),
    ("hrservice", "未获得许可，不得从事职业中介等经营性人力资源服务", "人力资源服务许可；人力资源服务备案", "人力资源社会保障部", "both"),
    ("travel", "未获得许可，不得从事旅行社业务", "旅行社业务经营许可", "文化和旅游部", "both"),
    ("security", "未获得许可，不得从事保安服务", "保安服务公司设立许可；保安培训许可", "公安部", "both"),
    ("laborabroad", "未获得许可，不得从事对外劳务合作", "对外劳务合作经营资格核准", "商务部", "2022"),
    ("accounting", "未获得许可，不得从事会计师事务所、资产评估等专业服务", "会计师事务所执业许可；资产评估机构备案", "财政部", "both"),
    ("legal", "未获得许可，不得从事律师、公证、司法鉴定服务", "律师事务所设立许可；司法鉴定机构登记", "司法部", "both"),
    ("survey", "未获得许可，不得从事测绘活动", "测绘资质审批", "自然资源部", "both"),
    # 科学研究和技术服务业
    ("testing", "未获得许可，不得从事检验检测、认证服务", "检验检测机构资质认定；认证机构资质审批", "市场监管总局", "both"),
    ("lightning", "未获得许可，不得从事雷电防护装置检测", "雷电防护装置检测资质认定", "中国气象局", "both"),
    ("pathogen", "未获得许可，不得从事高致病性病原微生物实验活动", "高致病性病原微生物实验活动审批", "国家卫生健康委", "both"),
    ("genetic", "未获得许可，不得从事人类遗传资源采集、保藏及国际合作", "人类遗传资源采集、保藏审批", "科技部", "both"),
    # 水利、环境和公共设施管理业
    ("pollution", "未获得许可，不得排放污染物", "排污许可；固定污染源排污登记", "生态环境部", "both"),
    ("eia", "未获得许可，不得开工建设应当依法进行环境影响评价的建设项目", "建设项目环境影响报告书、报告表审批；建设项目环境影响登记表备案", "生态环境部", "both"),
    ("hazwaste", "未获得许可，不得从事危险废物经营", "危险废物经营许可", "生态环境部", "both"),
    ("radiation", "未获得许可，不得从事放射性同位素与射线装置相关活动", "辐射安全许可；放射性物品运输许可", "生态环境部", "both"),
    # 教育
    ("school", "未获得许可，不得设立特定教育机构", "民办学校办学许可；校外培训机构办学许可；中外合作办学审批", "教育部", "both"),
    ("vocational", "未获得许可，不得从事职业技能培训", "民办职业技能培训机构设立审批", "人力资源社会保障部", "both"),
    # 卫生和社会工作
    ("medical", "未获得许可，不得设置医疗机构或从事医疗服务", "医疗机构设置审批；医疗机构执业登记；诊所备案；医师执业注册；护士执业注册", "国家卫生健康委", "both"),
    ("radiology", "未获得许可，不得从事放射诊疗", "放射诊疗许可", "国家卫生健康委", "both"),
    ("maternal", "未获得许可，不得从事母婴保健技术服务", "母婴保健技术服务机构执业许可", "国家卫生健康委", "both"),
    # 文化、体育和娱乐业
    ("ktv", "未获得许可，不得从事娱乐场所经营", "娱乐场所经营许可", "文化和旅游部", "both"),
    ("show", "未获得许可，不得从事营业性演出及经纪活动", "营业性演出审批；演出经纪机构设立审批", "文化和旅游部", "both"),
    ("sport", "未获得许可，不得从事高危险性体育项目经营", "高危险性体育项目经营许可", "国家体育总局", "both"),
    ("cinema", "未获得许可，不得从事电影发行、放映", "电影发行单位设立审批；电影放映单位设立审批", "国家电影局", "both"),
)


def nl_code_for(index: int) -> str:
    """nl_code of the ``index``-th (0-based) licensing list entry."""
    return f"XK{index + 1:03d}"


NL_BY_TAG = {entry[0]: nl_code_for(i) for i, entry in enumerate(LICENSED)}

# --- service items -----------------------------------------------------------------------

# Sub-item variants: (suffix, share of the base volume, promised-limit override or None).
STD4 = (("新办", 0.55, None), ("变更", 0.22, 3), ("延续", 0.13, None), ("注销", 0.10, 0))
NEW_CHG_RENEW = (("新办", 0.62, None), ("变更", 0.23, 3), ("延续", 0.15, None))
NEW_CHG_CANCEL = (("新办", 0.60, None), ("变更", 0.25, 3), ("注销", 0.15, 0))
NEW_RENEW = (("新办", 0.72, None), ("延续", 0.28, None))
NEW_CHG = (("新办", 0.7, None), ("变更", 0.3, 3))


@dataclass(frozen=True)
class BaseItem:
    """A service item as a department lists it, before splitting into sub-items."""

    dept: str
    name: str
    type: str  # contract item_type
    nl: str | None  # negative-list tag (see LICENSED) or None
    legal: int  # legal limit, working days (0 = on the spot)
    promised: int  # promised limit, working days
    volume: float  # applications a year across all sub-items, before normalisation
    subs: tuple[tuple[str, float, int | None], ...] = ()
    online: float = 0.6  # share submitted online when online_available; 0 = not online
    full_online: bool = False
    materials: int = 5
    profile: str = "license"  # route profile, see ROUTE_PROFILES
    suspend: float = 0.0  # share of applications with a special procedure (inspection, expert review)
    entity: tuple[str, ...] = ("trade",)  # entity groups of applicants; () = natural persons / new entities
    sink: bool = False  # also accepted at the street service centres
    season: str | None = None  # monthly seasonality profile, see ITEM_SEASONS
    gap: str | None = None  # planted mapping gap: "power" or "license" code missing


ROUTE_PROFILES: dict[str, dict[str, float]] = {
    "instant": {"即办件": 0.92, "承诺件": 0.08},
    "register": {"即办件": 0.55, "承诺件": 0.28, "容缺受理": 0.12, "告知承诺": 0.05},
    "license": {"承诺件": 0.58, "告知承诺": 0.18, "容缺受理": 0.12, "即办件": 0.12},
    "complex": {"承诺件": 0.76, "容缺受理": 0.10, "并联审批": 0.14},
    "construction": {"承诺件": 0.57, "并联审批": 0.28, "容缺受理": 0.15},
}

# Monthly multipliers (January first) of items with a season of their own.
ITEM_SEASONS: dict[str, tuple[float, ...]] = {
    "firework": (2.6, 0.5, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.5, 0.9, 2.4, 3.4),
    "construction": (0.9, 0.6, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3),
    "jobs": (0.8, 1.2, 1.6, 1.1, 0.9, 0.9, 1.2, 1.1, 0.9, 0.8, 0.8, 0.8),
}

_I = "行政许可"
_B = "行政备案"
_Q = "行政确认"
_G = "公共服务"
_O = "其他权力"

BASE_ITEMS: tuple[BaseItem, ...] = (
    # 区发展改革局
    BaseItem("JH001", "企业投资项目核准", _I, "invest", 20, 15, 6, online=0.5, materials=8, profile="complex", suspend=0.4, entity=("mfg", "build")),
    BaseItem("JH001", "固定资产投资项目节能审查", _I, "invest", 20, 10, 30, online=0.6, materials=6, profile="complex", suspend=0.3, entity=("mfg", "build")),
    BaseItem("JH001", "企业投资项目备案", _B, None, 0, 0, 420, online=0.95, full_online=True, materials=2, profile="instant", entity=("mfg", "build", "trade")),
    BaseItem("JH001", "企业投资项目备案信息变更", _B, None, 0, 0, 110, online=0.95, full_online=True, materials=2, profile="instant", entity=("mfg", "build")),
    BaseItem("JH001", "粮食收购企业备案", _B, None, 0, 0, 5, online=0.8, full_online=True, materials=3, profile="instant", entity=("agri",)),
    # 区经济促进局
    BaseItem("JH002", "企业技术改造投资项目备案", _B, None, 0, 0, 180, online=0.95, full_online=True, materials=3, profile="instant", entity=("mfg",)),
    BaseItem("JH002", "二手车经营主体备案", _B, None, 0, 0, 25, online=0.7, full_online=True, materials=4, profile="instant", entity=("transport", "trade")),
    BaseItem("JH002", "单用途商业预付卡发卡企业备案", _B, None, 0, 0, 12, online=0.7, full_online=True, materials=4, profile="instant", entity=("trade", "health")),
    BaseItem("JH002", "成品油零售经营资格审批（初审）", _O, "oil", 20, 10, 3, online=0.3, materials=9, profile="complex", suspend=0.6, entity=("chem",)),
    # 区民政局
    BaseItem("JH003", "养老机构备案", _B, None, 0, 0, 12, online=0.6, full_online=True, materials=6, profile="instant", entity=("health",)),
    BaseItem("JH003", "社区居家养老服务机构运营补贴申领", _G, None, 20, 10, 60, online=0.65, materials=5, profile="complex", entity=("health",)),
    # 区市场监管局
    BaseItem("JH004", "企业设立登记", _O, None, 3, 1, 2600, online=0.9, full_online=True, materials=4, profile="register", entity=()),
    BaseItem("JH004", "企业变更登记", _O, None, 3, 1, 2200, online=0.85, full_online=True, materials=4, profile="register", entity=("trade", "mfg", "food", "build", "transport", "health", "culture", "hr")),
    BaseItem("JH004", "企业注销登记", _O, None, 3, 1, 800, online=0.85, full_online=True, materials=3, profile="register", entity=("trade", "food", "mfg")),
    BaseItem("JH004", "个体工商户设立登记", _O, None, 3, 0, 2200, online=0.8, full_online=True, materials=3, profile="instant", entity=(), sink=True),
    BaseItem("JH004", "个体工商户变更登记", _O, None, 3, 0, 700, online=0.78, full_online=True, materials=3, profile="instant", entity=("food", "trade"), sink=True),
    BaseItem("JH004", "个体工商户注销登记", _O, None, 3, 0, 900, online=0.78, full_online=True, materials=2, profile="instant", entity=("food", "trade"), sink=True),
    BaseItem("JH004", "农民专业合作社设立登记", _O, None, 3, 1, 10, online=0.5, full_online=True, materials=5, profile="register", entity=()),
    BaseItem("JH004", "食品经营许可证核发", _I, "foodbiz", 20, 5, 3800, STD4, online=0.75, full_online=True, materials=5, profile="license", suspend=0.05, entity=("food",)),
    BaseItem("JH004", "仅销售预包装食品备案", _B, "foodbiz", 0, 0, 600, online=0.85, full_online=True, materials=3, profile="instant", entity=("food", "trade")),
    BaseItem("JH004", "食品生产许可证核发", _I, "foodprod", 20, 10, 120, STD4, online=0.6, materials=9, profile="complex", suspend=0.5, entity=("food", "mfg")),
    BaseItem("JH004", "食品小作坊登记", _O, "foodprod", 15, 7, 30, online=0.4, materials=6, profile="license", suspend=0.3, entity=("food",)),
    BaseItem("JH004", "特种设备使用登记", _I, "specialequip", 15, 5, 900, NEW_CHG_CANCEL, online=0.7, full_online=True, materials=4, profile="license", entity=("mfg", "build", "health", "transport")),
    BaseItem("JH004", "药品零售企业经营许可", _I, "drugstore", 30, 15, 140, (("新办", 0.5, None), ("变更", 0.3, 5), ("换证", 0.2, None)), online=0.6, materials=10, profile="complex", suspend=0.5, entity=("health",)),
    BaseItem("JH004", "第二类医疗器械经营备案", _B, "device", 0, 0, 220, online=0.8, full_online=True, materials=5, profile="instant", entity=("health", "trade")),
    # 区政务和数据局
    BaseItem("JH005", "企业开办“一件事”集成服务", _G, None, 5, 1, 300, online=0.9, full_online=True, materials=3, profile="register", entity=()),
    BaseItem("JH005", "工程建设项目审批帮办代办服务", _G, None, 5, 2, 60, online=0.4, materials=2, profile="license", entity=("build",)),
    # 区税务局
    BaseItem("JH007", "增值税专用发票（增值税税控系统）最高开票限额审批", _I, None, 20, 1, 1200, online=0.9, full_online=True, materials=2, profile="instant", entity=("trade", "mfg", "build", "transport")),
    BaseItem("JH007", "发票领用", _O, None, 0, 0, 1500, online=0.92, full_online=True, materials=1, profile="instant", entity=("trade", "mfg", "food", "build", "transport")),
    BaseItem("JH007", "跨区域涉税事项报验", _B, None, 0, 0, 300, online=0.9, full_online=True, materials=2, profile="instant", entity=("build", "transport")),
    BaseItem("JH007", "纳税信用复评", _Q, None, 15, 10, 30, online=0.8, full_online=True, materials=2, profile="complex", entity=("trade", "mfg")),
    # 区卫生健康局
    BaseItem("JH008", "公共场所卫生许可证核发", _I, "publicplace", 20, 5, 1100, STD4, online=0.8, full_online=True, materials=5, profile="license", suspend=0.05, entity=("health",)),
    BaseItem("JH008", "医疗机构设置审批（诊所除外）", _I, "medical", 30, 15, 10, online=0.4, materials=10, profile="complex", suspend=0.5, entity=("health",)),
    BaseItem("JH008", "医疗机构执业登记", _I, "medical", 45, 20, 160, (("新办", 0.3, None), ("变更", 0.35, 10), ("校验", 0.3, None), ("注销", 0.05, 0)), online=0.5, materials=9, profile="complex", suspend=0.35, entity=("health",)),
    BaseItem("JH008", "诊所备案", _B, "medical", 0, 0, 50, online=0.5, full_online=True, materials=7, profile="instant", entity=("health",)),
    BaseItem("JH008", "医师执业注册", _I, "medical", 20, 5, 350, online=0.85, full_online=True, materials=4, profile="license", entity=()),
    BaseItem("JH008", "护士执业注册", _I, "medical", 20, 5, 420, online=0.85, full_online=True, materials=4, profile="license", entity=()),
    BaseItem("JH008", "放射诊疗许可", _I, "radiology", 20, 10, 25, online=0.5, materials=8, profile="complex", suspend=0.5, entity=("health",)),
    BaseItem("JH008", "母婴保健技术服务机构执业许可", _I, "maternal", 20, 15, 3, online=0.4, materials=8, profile="complex", suspend=0.5, entity=("health",)),
    BaseItem("JH008", "饮用水供水单位卫生许可", _I, "water", 20, 10, 12, online=0.5, materials=6, profile="complex", suspend=0.4, entity=("mfg", "health"), gap="power"),
    # 区住房城乡建设局 (planted: slow review)
    BaseItem("JH009", "建筑工程施工许可证核发", _I, "buildpermit", 7, 3, 320, NEW_CHG, online=0.7, materials=7, profile="construction", suspend=0.05, entity=("build",), season="construction"),
    BaseItem("JH009", "商品房预售许可", _I, "realestate", 10, 5, 40, online=0.5, materials=9, profile="complex", suspend=0.2, entity=("build",)),
    BaseItem("JH009", "房地产开发企业资质核定", _I, "realestate", 20, 10, 25, NEW_RENEW, online=0.6, materials=8, profile="complex", entity=("build",)),
    BaseItem("JH009", "建筑业企业资质核准", _I, "buildqual", 20, 10, 140, (("首次申请", 0.5, None), ("增项", 0.3, None), ("延续", 0.2, None)), online=0.8, full_online=True, materials=6, profile="complex", entity=("build",)),
    BaseItem("JH009", "燃气经营许可", _I, "gas", 20, 10, 8, online=0.4, materials=11, profile="complex", suspend=0.5, entity=("chem",)),
    BaseItem("JH009", "城镇污水排入排水管网许可", _I, "drain", 20, 7, 160, NEW_CHG_RENEW, online=0.6, materials=6, profile="complex", suspend=0.2, entity=("food", "mfg", "health")),
    BaseItem("JH009", "城市建筑垃圾处置核准", _I, "waste", 20, 5, 180, online=0.6, materials=5, profile="complex", entity=("build", "transport")),
    BaseItem("JH009", "占用、挖掘城市道路审批", _I, "road", 20, 5, 110, online=0.5, materials=6, profile="construction", entity=("build",)),
    BaseItem("JH009", "特殊建设工程消防设计审查", _I, "fire", 15, 10, 140, online=0.7, materials=6, profile="construction", suspend=0.3, entity=("build",), season="construction"),
    BaseItem("JH009", "特殊建设工程消防验收", _I, "fire", 15, 10, 120, online=0.6, materials=6, profile="construction", suspend=0.4, entity=("build",), season="construction"),
    BaseItem("JH009", "其他建设工程消防验收备案", _B, "fire", 5, 3, 260, online=0.7, materials=5, profile="construction", entity=("build",)),
    BaseItem("JH009", "房屋建筑和市政基础设施工程竣工验收备案", _B, None, 15, 5, 220, online=0.6, materials=8, profile="construction", entity=("build",)),
    BaseItem("JH009", "建筑起重机械使用登记", _O, None, 7, 3, 200, online=0.5, materials=7, profile="construction", entity=("build",)),
    # 区文化广电旅游体育局
    BaseItem("JH010", "娱乐场所经营许可", _I, "ktv", 20, 10, 35, NEW_CHG_RENEW, online=0.6, materials=8, profile="license", suspend=0.4, entity=("culture",)),
    BaseItem("JH010", "互联网上网服务营业场所经营单位经营许可", _I, "netcafe", 20, 10, 15, NEW_CHG_CANCEL, online=0.5, materials=7, profile="license", suspend=0.3, entity=("culture",)),
    BaseItem("JH010", "营业性演出审批", _I, "show", 3, 2, 160, online=0.8, full_online=True, materials=5, profile="license", entity=("culture",)),
    BaseItem("JH010", "高危险性体育项目经营许可", _I, "sport", 30, 15, 35, NEW_RENEW, online=0.6, materials=8, profile="complex", suspend=0.3, entity=("culture", "health")),
    BaseItem("JH010", "出版物零售业务经营许可", _I, "publication", 20, 10, 30, online=0.6, full_online=True, materials=5, profile="license", entity=("culture",), gap="license"),
    BaseItem("JH010", "印刷经营许可（其他印刷品印刷）", _I, "print", 20, 10, 15, online=0.5, materials=6, profile="license", suspend=0.3, entity=("mfg",)),
    BaseItem("JH010", "艺术品经营单位备案", _B, None, 0, 0, 12, online=0.6, full_online=True, materials=4, profile="instant", entity=("culture",)),
    BaseItem("JH010", "旅行社服务网点备案", _B, "travel", 0, 0, 10, online=0.6, full_online=True, materials=4, profile="instant", entity=("culture", "trade")),
    # 区交通运输局 (planted: guides not updated after the 2025 list)
    BaseItem("JH011", "道路货物运输经营许可", _I, "roadtransport", 20, 5, 450, NEW_CHG_CANCEL, online=0.7, full_online=True, materials=5, profile="license", entity=("transport",)),
    BaseItem("JH011", "道路货物运输车辆《道路运输证》配发", _I, "roadtransport", 20, 1, 1600, online=0.8, full_online=True, materials=3, profile="instant", entity=("transport",)),
    BaseItem("JH011", "道路旅客运输站经营许可", _I, "roadtransport", 20, 15, 1, online=0.3, materials=9, profile="complex", suspend=0.5, entity=("transport",)),
    BaseItem("JH011", "超限运输车辆行驶公路许可", _I, "oversize", 15, 3, 260, online=0.85, full_online=True, materials=4, profile="license", entity=("transport",)),
    BaseItem("JH011", "公路建筑控制区内埋设管线、电缆等设施许可", _I, "road", 20, 10, 25, online=0.5, materials=6, profile="complex", entity=("build",)),
    BaseItem("JH011", "涉路施工许可", _I, "road", 20, 10, 30, online=0.5, materials=6, profile="complex", entity=("build",)),
    BaseItem("JH011", "机动车维修经营备案", _B, None, 0, 0, 130, online=0.7, full_online=True, materials=5, profile="instant", entity=("transport",)),
    BaseItem("JH011", "机动车驾驶员培训经营备案", _B, None, 0, 0, 3, online=0.5, full_online=True, materials=6, profile="instant", entity=("transport",)),
    BaseItem("JH011", "道路运输从业人员从业资格证换证", _G, None, 5, 1, 300, online=0.8, full_online=True, materials=2, profile="instant", entity=()),
    # 区应急管理局
    BaseItem("JH012", "危险化学品经营许可（不带储存设施）", _I, "hazchem", 30, 15, 70, (("新办", 0.5, None), ("变更", 0.25, 5), ("延期", 0.25, None)), online=0.6, materials=9, profile="complex", suspend=0.5, entity=("chem",)),
    BaseItem("JH012", "烟花爆竹经营（零售）许可", _I, "firework", 20, 10, 90, NEW_RENEW, online=0.7, materials=6, profile="license", suspend=0.4, entity=("chem",), season="firework"),
    BaseItem("JH012", "第三类非药品类易制毒化学品经营备案", _B, "precursor", 0, 0, 25, online=0.6, full_online=True, materials=5, profile="instant", entity=("chem",)),
    BaseItem("JH012", "生产经营单位生产安全事故应急预案备案", _B, None, 0, 0, 160, online=0.85, full_online=True, materials=3, profile="instant", entity=("mfg", "chem", "build")),
    # 江门市生态环境局江海分局
    BaseItem("JH013", "建设项目环境影响报告表审批", _I, "eia", 30, 15, 140, online=0.7, materials=5, profile="complex", suspend=0.6, entity=("mfg", "build")),
    BaseItem("JH013", "建设项目环境影响报告书审批", _I, "eia", 60, 30, 6, online=0.5, materials=6, profile="complex", suspend=0.8, entity=("mfg",)),
    BaseItem("JH013", "建设项目环境影响登记表备案", _B, "eia", 0, 0, 650, online=0.95, full_online=True, materials=1, profile="instant", entity=("mfg", "food", "health", "trade")),
    BaseItem("JH013", "排污许可证核发", _I, "pollution", 20, 15, 220, NEW_CHG_RENEW, online=0.9, full_online=True, materials=5, profile="complex", suspend=0.15, entity=("mfg", "chem")),
    BaseItem("JH013", "固定污染源排污登记", _B, "pollution", 0, 0, 380, online=0.95, full_online=True, materials=1, profile="instant", entity=("mfg", "food", "transport")),
    # 区人力资源社会保障局 (planted: milestones and visits left empty)
    BaseItem("JH014", "劳务派遣经营许可", _I, "dispatch", 20, 10, 45, NEW_CHG_RENEW, online=0.7, full_online=True, materials=7, profile="license", entity=("hr",)),
    BaseItem("JH014", "人力资源服务许可", _I, "hrservice", 20, 10, 25, NEW_CHG, online=0.7, full_online=True, materials=6, profile="license", entity=("hr",)),
    BaseItem("JH014", "人力资源服务备案", _B, "hrservice", 0, 0, 30, online=0.7, full_online=True, materials=4, profile="instant", entity=("hr",)),
    BaseItem("JH014", "民办职业技能培训机构设立审批", _I, "vocational", 30, 20, 8, online=0.4, materials=10, profile="complex", suspend=0.4, entity=("edu",)),
    BaseItem("JH014", "企业实行不定时工作制和综合计算工时工作制审批", _I, None, 20, 10, 280, online=0.8, full_online=True, materials=4, profile="license", entity=("mfg", "transport", "trade")),
    BaseItem("JH014", "就业登记", _G, None, 0, 0, 1500, online=0.75, full_online=True, materials=2, profile="instant", entity=(), sink=True, season="jobs"),
    BaseItem("JH014", "失业登记", _G, None, 0, 0, 700, online=0.72, full_online=True, materials=2, profile="instant", entity=(), sink=True, season="jobs"),
    # 区教育局
    BaseItem("JH015", "民办学校办学许可（实施学前教育）", _I, "school", 30, 20, 30, (("设立", 0.4, None), ("变更", 0.4, 10), ("终止", 0.2, None)), online=0.7, full_online=True, materials=12, profile="complex", suspend=0.5, entity=("edu",)),
    BaseItem("JH015", "校外培训机构办学许可（非学科类）", _I, "school", 30, 20, 45, online=0.7, full_online=True, materials=10, profile="complex", suspend=0.5, entity=("edu",)),
    # 区农业农村局
    BaseItem("JH016", "农药经营许可", _I, "pesticide", 20, 10, 25, NEW_CHG_RENEW, online=0.7, full_online=True, materials=6, profile="license", suspend=0.3, entity=("agri",)),
    BaseItem("JH016", "兽药经营许可", _I, "vetdrug", 20, 10, 10, online=0.7, full_online=True, materials=6, profile="license", suspend=0.3, entity=("agri",)),
    BaseItem("JH016", "动物防疫条件合格证核发", _I, "animal", 20, 10, 15, online=0.65, full_online=True, materials=7, profile="complex", suspend=0.6, entity=("agri", "food")),
    BaseItem("JH016", "动物诊疗许可", _I, "animal", 20, 10, 8, online=0.65, full_online=True, materials=7, profile="license", suspend=0.3, entity=("agri",)),
    BaseItem("JH016", "农作物种子生产经营许可", _I, "seed", 20, 15, 4, online=0.65, full_online=True, materials=8, profile="complex", suspend=0.3, entity=("agri",)),
    BaseItem("JH016", "水产苗种生产经营审批", _I, "fry", 20, 15, 5, online=0.65, full_online=True, materials=6, profile="complex", suspend=0.4, entity=("agri",)),
    BaseItem("JH016", "渔业捕捞许可", _I, "fishing", 20, 10, 30, online=0.7, full_online=True, materials=5, profile="license", entity=("agri",)),
    BaseItem("JH016", "水域滩涂养殖证核发", _I, "fishing", 20, 10, 20, online=0.65, full_online=True, materials=6, profile="license", suspend=0.2, entity=("agri",)),
    BaseItem("JH016", "拖拉机和联合收割机登记", _I, None, 5, 3, 10, online=0.3, materials=4, profile="license", entity=("agri",), gap="power"),
)

# A licensing item whose list basis only the 2022 list had (planted.LIFTED_ITEM); listed after
# every other item so that adding it leaves their codes and generation draws as they were.
LIFTED_BASE_ITEM = BaseItem("JH010", "文物商店设立审批", _I, "antique", 20, 10, 40, online=0.5, materials=7, profile="license", suspend=0.2, entity=("culture", "trade"))

# Items each street implements itself (赋权事项), with the yearly volume per street.
STREET_ITEMS: tuple[tuple[str, str, str | None, int, int, dict[str, float], float, bool, int], ...] = (
    # (name, type, nl tag, legal, promised, volume by street, online share, full_online, materials)
    ("食品摊贩登记", _O, "foodbiz", 15, 5, {"JH017": 80, "JH018": 60, "JH019": 50}, 0.6, True, 3),
    ("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", _I, "ad", 20, 5, {"JH017": 60, "JH018": 40, "JH019": 20}, 0.6, False, 5),
    ("临时占用城市道路审批", _I, "road", 20, 5, {"JH017": 50, "JH018": 35, "JH019": 25}, 0.6, False, 5),
)

ITEM_TYPE_CODE = {_I: "XK", _B: "BA", _Q: "QR", _G: "GG", _O: "QT"}

# --- entities ----------------------------------------------------------------------------

# Shop names (字号) of local businesses.
TRADE_NAMES = (
    "鑫盛", "华辉", "宏达", "粤海", "金源", "恒通", "嘉利", "骏豪", "联兴", "明昇", "荣达", "顺景",
    "泰和", "万利", "伟业", "新兴", "信达", "永盛", "裕丰", "志成", "中富", "卓越", "港星", "海宁",
    "合力", "佳美", "锦程", "俊业", "凯旋", "力通", "美嘉", "南粤", "鹏程", "启航", "瑞丰", "盛世",
    "天力", "伟航", "祥和", "旭日", "雅居", "亿达", "优品", "远航", "长盛", "正通", "致远", "众创",
    "百汇", "博润", "成泰", "大兴", "东方", "丰泽", "富隆", "广润", "国泰", "浩宇", "弘毅", "华庭",
    "汇鑫", "佳禾", "建业", "金辉", "锦华", "景泰", "聚源", "康达", "利丰", "联创", "龙腾", "茂源",
    "铭扬", "宁泰", "鹏达", "齐力", "润泽", "三和", "尚品", "胜达", "泰昌", "天诚", "通达", "威盛",
    "文昌", "祥瑞", "协和", "欣荣", "兴业", "雄峰", "耀华", "逸林", "益康", "永华", "友信", "裕达",
    "振华", "智联", "中联", "众益", "卓成", "江华", "礼盛", "外海", "侨鑫", "五邑", "蓬华", "银洲",
    "白沙", "滘头", "东海", "高新", "龙溪", "麻园", "金瓯", "新会", "粤骏", "骏达", "豪爵", "凌宇",
)

# Entity groups: (share of the pool, share of 个体工商户, company business words, 个体 shop words)
ENTITY_GROUPS: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    "food": (0.22, 0.55, ("餐饮管理", "食品", "饮食服务", "烘焙食品", "生鲜食品", "茶饮管理"), ("餐饮店", "粉面店", "烧腊店", "糖水店", "饮品店", "士多店")),
    "trade": (0.18, 0.40, ("贸易", "商贸", "进出口", "科技", "信息技术", "电子商务"), ("商行", "百货店", "便利店", "五金店")),
    "mfg": (0.15, 0.05, ("电子科技", "五金制品", "塑料制品", "机械设备", "照明电器", "新材料科技", "摩托车配件", "纸品包装", "智能装备", "服装"), ("五金加工厂",)),
    "build": (0.08, 0.0, ("建筑工程", "建设工程", "装饰工程", "市政工程", "房地产开发", "园林绿化"), ()),
    "transport": (0.08, 0.25, ("物流", "运输", "货运代理", "汽车维修服务", "供应链管理"), ("汽车修理店", "货运部")),
    "health": (0.07, 0.35, ("酒店管理", "美容美发", "健身服务", "医药连锁", "口腔门诊部", "游泳运动"), ("理发店", "美容院", "足浴店", "大药房")),
    "culture": (0.04, 0.30, ("文化传播", "娱乐", "网络服务", "体育发展", "文化传媒"), ("网吧", "书店", "图文店")),
    "hr": (0.03, 0.0, ("人力资源", "劳务服务", "企业管理咨询"), ()),
    "agri": (0.03, 0.35, ("农业发展", "水产养殖", "农资", "生态农业"), ("农资店", "兽药店")),
    "chem": (0.02, 0.30, ("化工", "燃气", "化工贸易", "涂料", "精细化工"), ("烟花爆竹零售店",)),
    "edu": (0.02, 0.0, ("教育科技", "文化培训"), ()),
}

# Where applicants from outside 江门 are registered: (division code, place in the name, weight).
OUTSIDE_REGIONS: tuple[tuple[str, str, float], ...] = (
    ("440106", "广州市", 0.12), ("440104", "广州市", 0.06), ("440113", "广州市", 0.05),
    ("440305", "深圳市", 0.09), ("440304", "深圳市", 0.06), ("440306", "深圳市", 0.05),
    ("440604", "佛山市", 0.07), ("440606", "佛山市", 0.06), ("442000", "中山市", 0.05),
    ("441900", "东莞市", 0.04), ("440402", "珠海市", 0.03), ("441302", "惠州市", 0.02),
    ("430104", "长沙市", 0.04), ("450103", "南宁市", 0.03), ("350203", "厦门市", 0.03),
    ("310115", "上海", 0.04), ("110105", "北京", 0.03), ("330106", "杭州市", 0.03),
    ("360102", "南昌市", 0.02), ("420106", "武汉市", 0.03), ("510107", "成都市", 0.02),
    ("520102", "贵阳市", 0.01), ("460106", "海口市", 0.02),
)

STREET_SHORT = {"JH017": "江南", "JH018": "外海", "JH019": "礼乐"}

SURNAMES = "陈李黄张梁林吴何刘谭郑冯赵周罗关区钟甄胡余容莫邓卢曾杨"
GIVEN = (
    "志强", "建华", "伟明", "丽娟", "国栋", "少芬", "锦荣", "嘉欣", "文杰", "惠玲", "振宇", "秀英",
    "永健", "美玲", "俊豪", "晓东", "敏仪", "家明", "淑华", "达成", "燕萍", "宇航", "卓文", "海燕",
)
