"""Chinese names for the demo: people, firms, mentors. Drawn from a seeded random generator."""

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕俊峰丹丹晓东晨阳子涵浩然欣怡雨轩梓萱"
PLACES = [
    "濮阳",
    "龙都",
    "华龙",
    "清丰",
    "南乐",
    "范县",
    "台前",
    "中原",
    "绿城",
    "古城",
    "戚城",
    "帝丘",
    "澶州",
    "金堤",
    "马颊河",
]
CORES = [
    "兴农",
    "惠民",
    "众创",
    "云帆",
    "鼎盛",
    "恒信",
    "瑞丰",
    "金穗",
    "宏图",
    "新禾",
    "巧手",
    "匠心",
    "丰源",
    "博远",
    "智联",
    "优品",
    "康达",
    "嘉禾",
    "顺通",
    "华彩",
]
INDUSTRIES = {
    "technology": [
        ("智能传感", "科技有限公司"),
        ("软件开发", "信息技术有限公司"),
        ("新材料", "新材料科技有限公司"),
        ("生物基材料", "生物科技有限公司"),
    ],
    "e_commerce": [("农产品电商", "电子商务有限公司"), ("跨境电商", "商贸有限公司"), ("直播带货", "网络科技有限公司")],
    "planting_breeding": [
        ("食用菌", "种植专业合作社"),
        ("蔬菜大棚", "农业专业合作社"),
        ("肉羊养殖", "养殖专业合作社"),
        ("花卉苗木", "农业发展有限公司"),
    ],
    "handicraft": [
        ("柳编", "工艺品有限公司"),
        ("草编", "手工艺合作社"),
        ("杂技道具", "工艺制品厂"),
        ("羽绒制品", "服饰有限公司"),
    ],
    "services": [
        ("家政服务", "家政服务有限公司"),
        ("物流配送", "物流有限公司"),
        ("餐饮", "餐饮管理有限公司"),
        ("财务代理", "企业管理咨询有限公司"),
    ],
    "other": [("家具制造", "家具有限公司"), ("建材加工", "建材有限公司")],
}
EXPERTISE = [
    "电子商务",
    "融资",
    "市场营销",
    "知识产权",
    "技术转移",
    "财务管理",
    "法律事务",
    "农业技术",
    "品牌设计",
    "人力资源",
    "直播运营",
    "生产管理",
]
ORGANISATIONS = [
    "濮阳职业技术学院",
    "中原油田科技园",
    "濮阳市农商银行",
    "河南大学濮阳工学院",
    "濮阳市律师协会",
    "濮阳市会计师协会",
    "华龙区农业农村局",
]
TOPICS = [
    "融资方案",
    "市场开拓",
    "财务规范",
    "商标注册",
    "产品定价",
    "电商运营",
    "团队建设",
    "政策申报",
    "生产工艺",
    "品牌建设",
]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def firm(rng: random.Random, kind: str, taken: set[str]) -> tuple[str, str]:
    """A firm's name and industry, unique in ``taken``."""
    industry, suffix = rng.choice(INDUSTRIES[kind])
    while True:
        name = f"{rng.choice(PLACES)}{rng.choice(CORES)}{industry}{suffix}"
        if name in taken:
            name = f"{rng.choice(PLACES)}{rng.choice(CORES)}{person(rng)[-1]}{industry}{suffix}"
        if name not in taken:
            taken.add(name)
            return name, industry
