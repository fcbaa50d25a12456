"""The notices' own words for 身份, 政治面貌 and 性别, and their common synonyms.

A roster written in the words of the notice (seed 001: 各界人士、工会会员、职工群众，
包括离退休的劳动模范，在校大学生) imports: each word is recognised as one of the
registry's choices, and the import preview shows 原值 → 识别为. Only a word that cannot
be mapped is refused.
"""

from __future__ import annotations

import re

from volunteers.models import Gender, Identity, PoliticalStatus

IDENTITY_WORDS: dict[str, str] = {
    # the notice's words (seed 001)
    "各界人士": Identity.PUBLIC,
    "工会会员": Identity.EMPLOYEE,
    "职工群众": Identity.EMPLOYEE,
    "离退休的劳动模范": Identity.MODEL_WORKER,
    "离退休劳动模范": Identity.MODEL_WORKER,
    "在校大学生": Identity.STUDENT,
    # common synonyms
    "职工": Identity.EMPLOYEE,
    "在职": Identity.EMPLOYEE,
    "在职人员": Identity.EMPLOYEE,
    "员工": Identity.EMPLOYEE,
    "教职工": Identity.EMPLOYEE,
    "退休": Identity.RETIRED,
    "退休职工": Identity.RETIRED,
    "离休": Identity.RETIRED,
    "离退休": Identity.RETIRED,
    "离退休人员": Identity.RETIRED,
    "退休人员": Identity.RETIRED,
    "劳模": Identity.MODEL_WORKER,
    "劳模先进": Identity.MODEL_WORKER,
    "先进工作者": Identity.MODEL_WORKER,
    "大学生": Identity.STUDENT,
    "学生": Identity.STUDENT,
    "在校学生": Identity.STUDENT,
    "社会志愿者": Identity.PUBLIC,
    "社会人士": Identity.PUBLIC,
    "居民": Identity.PUBLIC,
    "社区居民": Identity.PUBLIC,
    "工会工作者": Identity.CADRE,
}

POLITICAL_WORDS: dict[str, str] = {
    "党员": PoliticalStatus.CPC_MEMBER,
    "中国共产党党员": PoliticalStatus.CPC_MEMBER,
    "共产党员": PoliticalStatus.CPC_MEMBER,
    "中共正式党员": PoliticalStatus.CPC_MEMBER,
    "预备党员": PoliticalStatus.CPC_PROBATIONARY,
    "团员": PoliticalStatus.CYL_MEMBER,
    "共青团员": PoliticalStatus.CYL_MEMBER,
    "中国共产主义青年团团员": PoliticalStatus.CYL_MEMBER,
    "无党派": PoliticalStatus.NON_PARTISAN,
    "无": PoliticalStatus.MASSES,
    "普通群众": PoliticalStatus.MASSES,
}

GENDER_WORDS: dict[str, str] = {
    "男性": Gender.MALE,
    "男士": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女性": Gender.FEMALE,
    "女士": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}

_SPACE = re.compile(r"\s+")


def _key(value: str) -> str:
    return _SPACE.sub("", value).lower()


def recognise(choices: type, words: dict[str, str], value: str) -> str | None:
    """The choice ``value`` names — its own label, or a known word for it — else None."""
    key = _key(value)
    for code, label in choices.choices:  # type: ignore[attr-defined]
        if key == _key(str(label)):
            return str(code)
    for word, code in words.items():
        if key == _key(word):
            return str(code)
    return None


def identity_of(value: str) -> str | None:
    return recognise(Identity, IDENTITY_WORDS, value)


def political_status_of(value: str) -> str | None:
    return recognise(PoliticalStatus, POLITICAL_WORDS, value)


def gender_code_of(value: str) -> str | None:
    return recognise(Gender, GENDER_WORDS, value)
