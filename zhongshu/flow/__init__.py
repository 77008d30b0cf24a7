"""The approval engine (流程引擎): definitions as data, work items (待办/待阅/已办), opinions, deadlines, reminders.

Modules call `zhongshu.flow.services` (flow_start, flow_act, flow_state) and never write flow tables themselves.
"""
