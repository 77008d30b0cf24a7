"""Starting texts per 文种 (模板), offered on the 拟稿 page. Plain text with the heading ordinals the editor knows.

The 主送机关 line is not part of the body: it comes from the 稿纸's 主送 field (the renderer prints it).
"""

BOILERPLATES: dict[str, tuple[str, str]] = {
    "通知": ("{org}关于××××的通知", "为××××，经县人民政府同意，现将有关事项通知如下。\n一、工作目标\n××××。\n二、主要任务\n（一）××××。\n（二）××××。\n三、工作要求\n1.××××。\n2.××××。"),
    "请示": ("{org}关于××××的请示", "为××××，根据××××，现就××××请示如下。\n一、基本情况\n××××。\n二、请示事项\n××××。\n妥否，请批示。"),
    "报告": ("{org}关于××××情况的报告", "根据××××要求，现将××××情况报告如下。\n一、工作开展情况\n××××。\n二、存在的问题\n××××。\n三、下一步工作打算\n××××。\n特此报告。"),
    "函": ("{org}关于××××的函", "为××××，现就××××函商（函告）如下。\n××××。\n请予支持（函复）为盼。"),
    "批复": ("{org}关于××××的批复", "你单位《关于××××的请示》（××〔2026〕×号）收悉。经研究，现批复如下。\n一、××××。\n二、××××。\n此复。"),
    "通报": ("{org}关于××××的通报", "××××。现将有关情况通报如下。\n一、基本情况\n××××。\n二、工作要求\n××××。"),
    "意见": ("{org}关于××××的意见", "为××××，现提出如下意见。\n一、总体要求\n××××。\n二、主要措施\n××××。\n三、保障措施\n××××。"),
    "纪要": ("××××会议纪要", "××××年×月×日，××××在××××主持召开××××会议，研究××××。现将会议议定事项纪要如下。\n一、××××。\n二、××××。"),
}


def boilerplate(doc_type: str, organization_name: str) -> tuple[str, str] | None:
    item = BOILERPLATES.get(doc_type)
    if item is None:
        return None
    title, body = item
    return title.format(org=organization_name), body
