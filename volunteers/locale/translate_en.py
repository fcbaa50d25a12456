"""Fill volunteers/locale/en/LC_MESSAGES/django.po with English (run after makemessages)."""
# ruff: noqa: E501 - one translation per line reads best

from __future__ import annotations

import re
from pathlib import Path

EN = {
    "志愿者": "Volunteers",
    "待我审批": "Awaiting my review",
    "未知的表格：%(name)s": "Unknown sheet: %(name)s",
    "请指定工会。": "Please name a union.",
    "请指定通知。": "Please name a campaign.",
    "请指定志愿者。": "Please name a volunteer.",
    "登记时间（新→旧）": "Registered (newest first)",
    "登记时间（旧→新）": "Registered (oldest first)",
    "姓名": "Name",
    "姓名（倒序）": "Name (descending)",
    "工会": "Union",
    "状态": "Status",
    "姓名或电话": "Name or phone",
    "工会（含下级）": "Union (with subordinates)",
    "政治面貌": "Political status",
    "身份": "Category",
    "特长": "Specialties",
    "登记日期": "Registration date",
    "排序": "Sort",
    "请阅读并同意个人信息处理说明后再提交。": "Please read and accept the personal-information notice before submitting.",
    "18位，最后一位可以是X；性别和出生日期按号码自动识别。": "18 characters, the last may be X; gender and birth date are taken from the number.",
    "性别": "Gender",
    "按身份证号码自动识别": "From the ID number",
    "可不填；填写时必须与身份证号码一致。": "Optional; if given it must match the ID number.",
    "照片": "Photo",
    "登记工会": "Registering union",
    "招募通知": "Recruiting campaign",
    "（不属于招募通知）": "(not part of a recruiting campaign)",
    "工会服务帮扶志愿者登记表": "Union helper volunteer registration form",
    "其他信息": "Other information",
    "保存": "Save",
    "提交登记": "Submit registration",
    "审批结果": "Decision",
    "审批意见": "Opinion",
    "不同意或退回时必填。": "Required when rejecting or returning.",
    "提交审批意见": "Submit decision",
    "身份证号": "ID number",
    "花名册文件": "Roster file",
    "上传并预览": "Upload and preview",
    "报名工会": "Union to join",
    "先在上方搜索框中输入工会名称查找，再从列表中选择。": "Search for the union by name above, then choose it from the list.",
    "我已阅读并同意：工会为办理志愿者登记、审核和联系，收集和使用本人填写的个人信息。": "I have read and agree that the union collects and uses the personal information I enter to register, review and contact me as a volunteer.",
    "提交报名": "Submit application",
    "待审批的志愿者登记": "Volunteer registrations awaiting review",
    "没有找到表头：第一张工作表的前10行中应有「姓名」和「身份证号码」两列（花名册格式）。": "No header found: the first 10 rows of the first sheet must contain the columns 姓名 (name) and 身份证号码 (ID number) (roster layout).",
    "行数过多（%(rows)s 行），一次最多导入 %(limit)s 行。": "Too many rows (%(rows)s); at most %(limit)s rows can be imported at once.",
    "文件中没有可导入的数据行。": "The file has no data rows to import.",
    "文件中有错误，未导入任何数据。请修改后重新上传。": "The file has errors; nothing was imported. Please correct it and upload it again.",
    "导入期间有人登记了相同的身份证号码，未导入任何数据，请重新预览。": "Someone registered the same ID number during the import; nothing was imported. Please preview again.",
    "身份证号码被存成了数字（Excel 只保留15位有效数字，末位会丢失）。请把该列设为文本格式后重新填写。": "The ID number is stored as a number (Excel keeps only 15 significant digits, the last ones are lost). Format the column as text and type it again.",
    "新增 %(c)s 行，更新 %(u)s 行，无变化 %(n)s 行，错误 %(e)s 处。": "%(c)s rows new, %(u)s updated, %(n)s unchanged, %(e)s errors.",
    "第%(row)s行 新增：%(name)s": "Row %(row)s new: %(name)s",
    "第%(row)s行 更新：%(name)s（%(changes)s）": "Row %(row)s update: %(name)s (%(changes)s)",
    "第%(row)s行 %(column)s 错误：%(message)s": "Row %(row)s %(column)s error: %(message)s",
    "姓名不能为空。": "The name is required.",
    "姓名过长（最多40个字）。": "The name is too long (at most 40 characters).",
    "身份证号码不能为空。": "The ID number is required.",
    "与第%(row)s行的身份证号码重复。": "Same ID number as row %(row)s.",
    "性别只能填写「男」或「女」。": "Gender must be 男 (male) or 女 (female).",
    "性别与身份证号码不符：按身份证号码应为「%(gender)s」。": "The gender does not match the ID number, which says %(gender)s.",
    "工作单位过长（最多100个字）。": "The workplace is too long (at most 100 characters).",
    "无法识别的政治面貌「%(value)s」，应为：%(allowed)s。": "Unknown political status “%(value)s”; allowed: %(allowed)s.",
    "无法识别的身份「%(value)s」，应为：%(allowed)s。": "Unknown category “%(value)s”; allowed: %(allowed)s.",
    "每项特长最多30个字，多项之间用顿号分隔。": "Each specialty may have at most 30 characters; separate several with 、.",
    "工作单位": "Workplace",
    "联系电话": "Phone",
    "该身份证号码已经登记过，不能重复登记。如有疑问请联系所在工会。": "This ID number is already registered and cannot be registered again. Please contact your union if in doubt.",
    "男": "Male",
    "女": "Female",
    "中共党员": "CPC member",
    "中共预备党员": "CPC probationary member",
    "共青团员": "CYL member",
    "民革党员": "RCCK member",
    "民盟盟员": "CDL member",
    "民建会员": "CNDCA member",
    "民进会员": "CAPD member",
    "农工党党员": "CPWDP member",
    "致公党党员": "CZGP member",
    "九三学社社员": "Jiusan Society member",
    "台盟盟员": "TDSGL member",
    "无党派人士": "Non-partisan",
    "群众": "Ordinary citizen",
    "博士研究生": "Doctorate",
    "硕士研究生": "Master's degree",
    "大学本科": "Bachelor's degree",
    "大学专科": "College diploma",
    "中专": "Secondary vocational",
    "高中": "High school",
    "初中及以下": "Junior high or below",
    "健康": "Healthy",
    "良好": "Good",
    "一般": "Fair",
    "较差": "Poor",
    "在职职工": "Employee",
    "离退休职工": "Retired employee",
    "劳动模范": "Model worker",
    "在校学生": "Student",
    "社会人员": "Member of the public",
    "工会干部": "Union cadre",
    "工会会员": "Union member",
    "特邀会员": "Invited member",
    "审核中": "Under review",
    "已退回": "Returned",
    "已通过": "Approved",
    "未通过": "Rejected",
    "已退出": "Withdrawn",
    "名称": "Name",
    "顺序": "Order",
    "出生日期": "Date of birth",
    "参加工作时间": "Started work",
    "学历": "Education",
    "健康状况": "Health",
    "工作简历": "Work history",
    "本人申请": "Personal application",
    "会员类别": "Membership",
    "已在全国志愿服务信息系统注册": "Registered in the national volunteer service system",
    "全国志愿服务信息系统编号": "National volunteer service system number",
    "登记时间": "Registered",
    "通过时间": "Approved at",
    "更新时间": "Updated",
    "录入人": "Entered by",
    "网上自主报名": "Applied online",
    "同意个人信息处理时间": "Consent to personal-information processing given at",
    "审批轮次": "Approval round",
    "可查看完整身份证号": "Can view full ID numbers",
    "待审核": "Pending",
    "同意": "Approved",
    "不同意": "Rejected",
    "退回修改": "Returned for changes",
    "审批层级": "Level",
    "审批工会": "Reviewing union",
    "轮次": "Round",
    "意见": "Decision",
    "审批人": "Reviewer",
    "审批时间": "Decided at",
    "审批记录": "Approval trail",
    "您无权在该工会登记或修改志愿者。": "You may not register or change volunteers in this union.",
    "所选通知不招募志愿者。": "The chosen campaign does not recruit volunteers.",
    "所选通知的发文单位不是登记工会或其上级工会。": "The chosen campaign was not issued by the registering union or a union above it.",
    "该身份证号码已经登记过（%(name)s，%(union)s），请查看已有记录。": "This ID number is already registered (%(name)s, %(union)s); see the existing record.",
    "请填写联系电话。": "Please enter a phone number.",
    "该记录已被他人修改，您的修改未保存。请重新打开编辑页面，核对后再修改。": "Someone else changed this record; your changes were not saved. Open the edit page again, check and edit.",
    "该登记表当前不在审批中。": "This registration is not under review.",
    "只有被退回的登记表可以重新提交。": "Only a returned registration can be resubmitted.",
    "不同意或退回时请填写审批意见。": "Please give an opinion when rejecting or returning.",
    "不能审批自己录入的登记表。": "You cannot review a registration you entered yourself.",
    "当前审批环节应由「%(union)s」的审核员办理。": "The current step is for a reviewer of %(union)s.",
    "无效的审批结果。": "Invalid decision.",
    "花名册": "Roster",
    "名额分配表": "Quota table",
    "登记表": "Registration form",
    "层级": "Level",
    "未开始": "Not reached",
    "以前各轮审批": "Earlier rounds",
    "第%(r)s轮": "Round %(r)s",
    "志愿者网上报名": "Apply online as a volunteer",
    "工会服务帮扶志愿者网上报名": "Apply online to the union helper volunteers",
    "查找报名工会（输入名称中的至少两个字）": "Find the union (type at least two characters of its name)",
    "搜索": "Search",
    "没有找到名称包含该文字的工会。": "No union's name contains this text.",
    "报名已提交": "Application submitted",
    "报名已提交，工会审核后会与您联系。感谢您参加工会服务帮扶志愿者队伍！": "Your application has been submitted; the union will contact you after review. Thank you for joining the union helper volunteers!",
    "编辑": "Edit",
    "确认重新提交审批？": "Resubmit for approval?",
    "重新提交": "Resubmit",
    "打印登记表": "Print the form",
    "导出登记表": "Export the form",
    "全国志愿服务信息系统": "National volunteer service system",
    "已注册": "Registered",
    "未注册": "Not registered",
    "等待「%(u)s」审批。": "Awaiting review by %(u)s.",
    "已有记录：": "Existing record:",
    "导入花名册": "Import a roster",
    "上传按「服务帮扶志愿者花名册」格式填写的 Excel 文件：标题行和表头行可以保留，按表头名称识别各列（序号、姓名、性别、身份证号码、工作单位、政治面貌、身份、特长，可另加联系电话）。身份证号码一列请设为文本格式。上传后先预览，确认后才写入。": "Upload an Excel file in the roster layout: title and header rows may stay; columns are found by their labels (序号, 姓名, 性别, 身份证号码, 工作单位, 政治面貌, 身份, 特长, optionally 联系电话). Format the ID number column as text. You see a preview first; nothing is written until you confirm.",
    "导入预览": "Import preview",
    "新增": "New",
    "更新": "Update",
    "无变化": "Unchanged",
    "错误": "Errors",
    "行": "Row",
    "列": "Column",
    "重新上传": "Upload again",
    "将新增": "Will be created",
    "将更新（按身份证号码匹配）": "Will be updated (matched by ID number)",
    "变更": "Changes",
    "确认导入": "Confirm import",
    "取消": "Cancel",
    "文件中的数据与系统中一致，无需导入。": "The file matches the records; nothing to import.",
    "全选": "Select all",
    "身份证号码": "ID number",
    "确认同意所选登记？": "Approve the selected registrations?",
    "批量同意": "Approve selected",
    "退回或不同意请打开单条登记，填写意见后办理。": "To return or reject, open the registration and give an opinion.",
    "暂无待审批的志愿者登记。": "No volunteer registrations await your review.",
    "打印": "Print",
    "返回": "Back",
    "工会服务帮扶志愿者名额分配表": "Union helper volunteer quota table",
    "导出名额分配表": "Export the quota table",
    "序号": "No.",
    "区市县、产业工会": "District / industry union",
    "人数": "Quota",
    "审批中": "Pending",
    "完成情况": "Progress",
    "备注": "Note",
    "超出名额": "over quota",
    "未满": "under quota",
    "已满": "filled",
    "本通知没有您可查看的名额分配。": "This campaign has no quota allocations you may see.",
    "合计": "Total",
    "志愿者花名册": "Volunteer roster",
    "登记志愿者": "Register a volunteer",
    "导出花名册（已通过）": "Export roster (approved)",
    "筛选": "Filter",
    "清除": "Clear",
    "按身份证号查找": "Find by ID number",
    "查找": "Find",
    "网上报名": "online",
    "没有符合条件的志愿者。": "No volunteers match.",
    "请输入身份证号码。": "Please enter an ID number.",
    "在您的管理范围内没有找到该身份证号码。": "This ID number was not found within your scope.",
    "已登记「%(name)s」，等待审批。": "Registered %(name)s; awaiting approval.",
    "已保存。": "Saved.",
    "编辑登记表：%(name)s": "Edit registration: %(name)s",
    "已重新提交，进入新一轮审批。": "Resubmitted; a new approval round has started.",
    "请选择审批结果。": "Please choose a decision.",
    "已提交审批意见：%(decision)s。": "Decision recorded: %(decision)s.",
    "请至少选择一条登记。": "Please select at least one registration.",
    "已批量同意 %(n)s 条登记。": "Approved %(n)s registrations.",
    "导入文件已失效，请重新上传。": "The uploaded file has expired; please upload it again.",
    "导入完成：新增 %(c)s 人，更新 %(u)s 人。": "Import finished: %(c)s new, %(u)s updated.",
    "提交过于频繁：同一网络每小时最多提交 %(n)s 次报名，请稍后再试。": "Too many submissions: at most %(n)s applications per hour from one network. Please try again later.",
    "名额分配表：": "Quota tables:",
    "被退回待修改的志愿者登记": "Returned volunteer registrations to correct",
}


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main() -> None:
    po = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    # Some gettext versions write no blank line between the header and the first entry.
    text = re.sub(r'^(".*"\n)(#[:.,])', r"\1\n\2", text, flags=re.M)
    blocks = re.split(r"\n\s*\n", text)
    missing = []
    out = []
    for block in blocks:
        if 'msgid ""\nmsgstr ""' in block:  # the header
            out.append(block.replace("#, fuzzy\n", ""))
            continue
        lines = block.split("\n")
        msgid_lines: list[str] = []
        collecting = False
        kept: list[str] = []
        for line in lines:
            if line.startswith("msgid "):
                collecting = True
                msgid_lines.append(line[6:])
                kept.append(line)
            elif line.startswith("msgstr"):
                collecting = False
                break
            elif collecting and line.startswith('"'):
                msgid_lines.append(line)
                kept.append(line)
            else:
                kept.append(line)
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "".join(msgid_lines)))
        msgid = msgid.replace('\\"', '"').replace("\\n", "\n")
        english = EN.get(msgid)
        if english is None:
            missing.append(msgid)
            english = ""
        kept = [line for line in kept if line != "#, fuzzy"]
        out.append("\n".join([*kept, f'msgstr "{esc(english)}"']))
    po.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    if missing:
        raise SystemExit(f"untranslated: {missing}")


if __name__ == "__main__":
    main()
