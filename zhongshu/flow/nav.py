from zhongshu.web.registry import (
    NavItem,
    register_nav,
)

register_nav(
    # 待办/待阅/已办 are the one inbox (zhongshu/inbox/nav.py); flow:todo … redirect there
    NavItem("flow_started", "我发起的", "flow:started", section="work", perm="flow.view", order=4),
    NavItem("flow_definitions", "流程定义", "flow:definitions", section="system", perm="flow.manage", order=40),
)


# The 工作台's 待办/待阅 cards are the one inbox's (zhongshu/inbox/nav.py).


# No search provider: every flow subject is found through its own module (通知公告's provider, the full-text index
# for 发文/收文), once. Work items are not documents — other people's finished items labelled "待办" were noise.
