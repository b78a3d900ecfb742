"""Conventions of Chinese official documents and portal pages that both the readers (bytes →
text) and the parsers (text → Report) rely on: heading numbers (GB/T 9704-2012: 一、 （一） 1.) and
the labels of a portal page's header fields. A leaf module: it imports nothing of the project."""

from __future__ import annotations

import re

HAN_NUM = "一二三四五六七八九十百零〇两"  # the characters of a Chinese heading number
LEVEL1 = re.compile(rf"^\s*(?:第([{HAN_NUM}]+)(?:部分|章)\s*|([{HAN_NUM}]+)\s*(?:、|\.(?!\d)))")  # 一、 第一部分
LEVEL2 = re.compile(rf"^\s*\(\s*([{HAN_NUM}]+)\s*\)\s*")  # （一） once folded
DIGIT = re.compile(r"^\s*[\"“]?\s*(\d{1,3})\s*(?:、|\.(?!\d))\s*[\"”]?\s*")  # 1. 1、

# Header fields of government portal pages (索引号 / 发布机构 / 成文日期 …): kept as label：value
# lines by the HTML reader, read for metadata by the front matter, never taken for body text.
CHROME_LABELS = ("索引号", "分类", "主题分类", "发布机构", "发文机构", "成文日期", "发文日期", "名称", "标题", "文号",
                 "发文字号", "发布日期", "发布时间", "主题词", "来源", "信息来源", "更新时间", "浏览次数", "访问量",
                 "阅读次数", "公开方式", "发文机关", "生效日期", "有效性", "原文链接", "网址", "当前位置", "字号",
                 "组配分类", "信息分类", "体裁分类", "公文种类", "生成日期", "生效时间", "废止时间", "关键词",
                 "内容概述", "文件编号", "发布单位", "责任编辑", "点击量", "时效性", "制发机构", "文件名称",
                 "信息索引号", "作者", "撰写时间", "文章来源", "稿件来源", "供稿单位")
