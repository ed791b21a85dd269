"""GB/T 2260 county codes with pinyin place names, weighted by province population."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class County:
    """A county-level division: its 6-digit GB/T 2260 code and where it is."""

    code: str
    province: str
    city: str
    district: str

    @property
    def province_code(self) -> str:
        return self.code[:2]


# (province code, province, population in millions (2020 census, rounded), counties)
_PROVINCES: tuple[tuple[str, str, int, tuple[tuple[str, str, str], ...]], ...] = (
    ("11", "Beijing", 22, (("110101", "Beijing", "Dongcheng"), ("110105", "Beijing", "Chaoyang"))),
    ("12", "Tianjin", 14, (("120101", "Tianjin", "Heping"), ("120104", "Tianjin", "Nankai"))),
    ("13", "Hebei", 75, (("130102", "Shijiazhuang", "Chang'an"), ("130203", "Tangshan", "Lubei"))),
    ("14", "Shanxi", 35, (("140105", "Taiyuan", "Xiaodian"), ("140202", "Datong", "Pingcheng"))),
    ("15", "Nei Mongol", 24, (("150102", "Hohhot", "Xincheng"), ("150203", "Baotou", "Kundulun"))),
    ("21", "Liaoning", 43, (("210102", "Shenyang", "Heping"), ("210202", "Dalian", "Zhongshan"))),
    ("22", "Jilin", 24, (("220102", "Changchun", "Nanguan"), ("220202", "Jilin", "Changyi"))),
    ("23", "Heilongjiang", 32, (("230102", "Harbin", "Daoli"), ("230202", "Qiqihar", "Longsha"))),
    ("31", "Shanghai", 25, (("310101", "Shanghai", "Huangpu"), ("310115", "Shanghai", "Pudong"))),
    ("32", "Jiangsu", 85, (("320102", "Nanjing", "Xuanwu"), ("320505", "Suzhou", "Huqiu"))),
    ("33", "Zhejiang", 65, (("330106", "Hangzhou", "Xihu"), ("330203", "Ningbo", "Haishu"))),
    ("34", "Anhui", 61, (("340102", "Hefei", "Yaohai"), ("340202", "Wuhu", "Jinghu"))),
    ("35", "Fujian", 41, (("350102", "Fuzhou", "Gulou"), ("350203", "Xiamen", "Siming"))),
    ("36", "Jiangxi", 45, (("360102", "Nanchang", "Donghu"), ("360203", "Jingdezhen", "Zhushan"))),
    ("37", "Shandong", 102, (("370102", "Jinan", "Lixia"), ("370202", "Qingdao", "Shinan"))),
    ("41", "Henan", 99, (("410102", "Zhengzhou", "Zhongyuan"), ("410302", "Luoyang", "Laocheng"))),
    ("42", "Hubei", 58, (("420102", "Wuhan", "Jiang'an"), ("420502", "Yichang", "Xiling"))),
    ("43", "Hunan", 66, (("430102", "Changsha", "Furong"), ("430202", "Zhuzhou", "Hetang"))),
    ("44", "Guangdong", 126, (("440103", "Guangzhou", "Liwan"), ("440305", "Shenzhen", "Nanshan"))),
    ("45", "Guangxi", 50, (("450102", "Nanning", "Xingning"), ("450202", "Liuzhou", "Chengzhong"))),
    ("46", "Hainan", 10, (("460105", "Haikou", "Xiuying"), ("460202", "Sanya", "Haitang"))),
    ("50", "Chongqing", 32, (("500103", "Chongqing", "Yuzhong"), ("500106", "Chongqing", "Shapingba"))),
    ("51", "Sichuan", 84, (("510104", "Chengdu", "Jinjiang"), ("510703", "Mianyang", "Fucheng"))),
    ("52", "Guizhou", 39, (("520102", "Guiyang", "Nanming"), ("520302", "Zunyi", "Honghuagang"))),
    ("53", "Yunnan", 47, (("530102", "Kunming", "Wuhua"), ("530302", "Qujing", "Qilin"))),
    ("54", "Xizang", 4, (("540102", "Lhasa", "Chengguan"), ("540202", "Xigaze", "Samzhubze"))),
    ("61", "Shaanxi", 40, (("610102", "Xi'an", "Xincheng"), ("610302", "Baoji", "Weibin"))),
    ("62", "Gansu", 25, (("620102", "Lanzhou", "Chengguan"), ("620302", "Jinchang", "Jinchuan"))),
    ("63", "Qinghai", 6, (("630102", "Xining", "Chengdong"), ("630202", "Haidong", "Ledu"))),
    ("64", "Ningxia", 7, (("640104", "Yinchuan", "Xingqing"), ("640202", "Shizuishan", "Dawukou"))),
    ("65", "Xinjiang", 26, (("650102", "Urumqi", "Tianshan"), ("650202", "Karamay", "Dushanzi"))),
)

COUNTIES: tuple[County, ...] = tuple(
    County(code, province, city, district)
    for _, province, _, counties in _PROVINCES
    for code, city, district in counties
)

# Each county of a province carries an equal share of the province's population.
COUNTY_WEIGHTS: tuple[float, ...] = tuple(
    population / len(counties) for _, _, population, counties in _PROVINCES for _ in counties
)

STREETS: tuple[str, ...] = (
    "Renmin",
    "Jiefang",
    "Zhongshan",
    "Jianshe",
    "Heping",
    "Xinhua",
    "Changjiang",
    "Huanghe",
    "Dongfeng",
    "Wenhua",
    "Shengli",
    "Yingbin",
    "Chaoyang",
    "Gongyuan",
    "Binhe",
    "Kexue",
)
STREET_KINDS: tuple[str, ...] = ("Road", "Street", "Avenue", "Lane")
