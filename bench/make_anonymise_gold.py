# ruff: noqa: B023  (the lambdas are called inside the loop that binds their variables)
"""Writes tests/data/anonymise_gold.yml: interview-like Russian and Kazakh sentences with the
identifying spans marked. Templates are filled from name lists that deliberately include names
absent from qualtool's own lexicon (privacy/names.py), so the bench measures generalisation,
not recall of a list. Hand-written sentences (HAND) cover harder cases and negatives.

Run once: python -m bench.make_anonymise_gold (output is committed; regenerate deliberately).
"""

from __future__ import annotations

import random
from pathlib import Path

from qualtool.privacy.rules import iin_valid

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "anonymise_gold.yml"
R = random.Random(14)

# (nominative, genitive/accusative, dative, instrumental) for a few; others indeclinable
FEMALE = [
    "Айгерим",
    "Асель",
    "Гульнара",
    "Динара",
    "Жанар",
    "Салтанат",
    "Нурия",
    "Айтолкын",
    "Камшат",
    "Балнур",
    "Нургуль",
    "Жазира",
    "Гульшат",
    "Ольга",
    "Татьяна",
    "Әсел",
]
MALE = [
    "Ерлан",
    "Нурлан",
    "Асхат",
    "Бекжан",
    "Ильяс",
    "Жаксылык",
    "Серикжан",
    "Мухтар",
    "Абзал",
    "Ернар",
    "Дидар",
    "Айбол",
    "Ескендир",
    "Сергей",
    "Дмитрий",
    "Бауыржан",
]
SURN_M = [
    "Сейткалиев",
    "Жумабаев",
    "Касымов",
    "Садыков",
    "Абдрахманов",
    "Калиев",
    "Оспанов",
    "Тулегенов",
    "Петров",
    "Искаков",
    "Мамыров",
    "Бекмуратов",
]
SURN_F = [
    "Нурланова",
    "Ахметова",
    "Омарова",
    "Мусина",
    "Бекова",
    "Исмаилова",
    "Смагулова",
    "Есенова",
    "Токтарова",
    "Иванова",
    "Кенжебаева",
    "Утегенова",
]
PATR_F = ["Нурлановна", "Маратовна", "Кайратовна", "Серикбаевна", "Ерлановна"]
PATR_M = ["Серикович", "Бекович", "Ерланович", "Амангельдиевич", "Муратович"]
PATR_KK_F = ["Серікқызы", "Нұрланқызы", "Маратқызы", "Бекқызы"]
PATR_KK_M = ["Тулегенұлы", "Бекұлы", "Маратұлы", "Ерланұлы", "Серікұлы"]


def f_gen(s: str) -> str:  # Нурланова -> Нурлановой
    return s[:-1] + "ой"


def m_gen(s: str) -> str:
    return s + "а"


def m_ins(s: str) -> str:
    return s + "ым"


def iin() -> str:
    while True:
        d = f"{R.randint(50, 99):02d}{R.randint(1, 12):02d}{R.randint(1, 28):02d}{R.choice('3456')}"
        d += "".join(str(R.randint(0, 9)) for _ in range(4))
        for last in range(10):
            if iin_valid(d + str(last)):
                return d + str(last)


def phone() -> str:
    op = R.choice(["701", "702", "705", "707", "747", "771", "775", "778"])
    a, b, c = R.randint(100, 999), R.randint(10, 99), R.randint(10, 99)
    city = R.choice(["727", "7172", "7212", "7252"])
    forms = [
        f"+7 {op} {a} {b} {c}",
        f"8 ({op}) {a}-{b}-{c}",
        f"8{op}{a}{b}{c}",
        f"+7-{op}-{a}-{b}-{c}",
        f"+7({op}){a}{b}{c}",
        f"8 {op} {a}-{b}-{c}",
        f"+7 ({city}) 2-{a}-{R.randint(100, 999)}"
        if len(city) == 3
        else f"8 ({city}) {R.randint(10, 99)}-{b}-{c}",
        f"8 {city} {R.randint(10, 99)}-{b}-{c}" if len(city) == 4 else f"8 727 {a}-{b}-{c}",
    ]
    return R.choice(forms)


def email(first: str) -> str:
    src = "абвгдеёжзийклмнопрстуфхцчшщыэюяәіңғүұқөһьъ"
    dst = [
        "a",
        "b",
        "v",
        "g",
        "d",
        "e",
        "e",
        "zh",
        "z",
        "i",
        "i",
        "k",
        "l",
        "m",
        "n",
        "o",
        "p",
        "r",
        "s",
        "t",
        "u",
        "f",
        "h",
        "ts",
        "ch",
        "sh",
        "sh",
        "y",
        "e",
        "yu",
        "ya",
        "a",
        "i",
        "n",
        "g",
        "u",
        "u",
        "q",
        "o",
        "h",
        "",
        "",
    ]
    tr = str.maketrans(dict(zip(src, dst, strict=True)))
    return R.choice(
        [
            f"{first.lower().translate(tr)}{R.randint(70, 99)}@mail.kz",
            f"{first.lower().translate(tr)}.work@gmail.com",
            f"info.{first.lower().translate(tr)}@inbox.ru",
        ]
    )


def address() -> str:
    st = R.choice(
        [
            "ул. Абая",
            "улица Сатпаева",
            "пр. Достык",
            "проспект Райымбека",
            "мкр. Самал-2",
            "мкр Аксай-4",
            "ул. Толе би",
            "улица Жандосова",
        ]
    )
    return R.choice(
        [
            f"{st}, д. {R.randint(1, 200)}, кв. {R.randint(1, 150)}",
            f"{st} {R.randint(1, 200)}, квартира {R.randint(1, 150)}",
            f"{st}, дом {R.randint(1, 90)}",
        ]
    )


def address_kk() -> str:
    st = R.choice(["Абай", "Сәтбаев", "Жандосов", "Төле би"])
    return f"{st} көшесі {R.randint(1, 150)}, пәтер {R.randint(1, 90)}"


def item(text: str, ents: list[tuple[str, str]], lang: str = "ru") -> dict:
    for _, t in ents:
        assert t in text, (t, text)
    return {"text": text, "lang": lang, "entities": [{"kind": k, "text": t} for k, t in ents]}


def templated() -> list[dict]:
    out = []
    for _ in range(18):
        f, m = R.choice(FEMALE), R.choice(MALE)
        sf, sm = R.choice(SURN_F), R.choice(SURN_M)
        pf, pm = R.choice(PATR_F), R.choice(PATR_M)
        choices = [
            lambda: item(f"Меня зовут {f} {pf}, мне сорок пять лет.", [("person", f"{f} {pf}")]),
            lambda: item(
                f"Я записалась к {f_gen(sf)}, но её не было на месте.", [("person", f_gen(sf))]
            ),
            lambda: item(
                f"В ЦОНе меня принимал {m} {sm}, он всё объяснил.", [("person", f"{m} {sm}")]
            ),
            lambda: item(
                f"Потом я пошёл к {m_gen(sm)}[dat] в кабинет.".replace(
                    f"{m_gen(sm)}[dat]", sm + "у"
                ),
                [("person", sm + "у")],
            ),
            lambda: item(
                f"Я говорила с {m_ins(sm)} по телефону, он обещал перезвонить.",
                [("person", m_ins(sm))],
            ),
            lambda: item(
                f"Мой ИИН {(x := iin())}, я его трижды диктовала оператору.", [("iin", x)]
            ),
            lambda: item(
                f"Позвоните мне по номеру {(x := phone())}, я вечером дома.", [("phone", x)]
            ),
            lambda: item(
                f"Я живу по адресу {(x := address())}, это недалеко от акимата.", [("address", x)]
            ),
            lambda: item(
                f"Ответ прислали на почту {(x := email(f))}, а не в личный кабинет.", [("email", x)]
            ),
            lambda: item(
                f"Руководитель отдела {sf} {f} {pf} сказала, что справка не нужна.",
                [("person", f"{sf} {f} {pf}")],
            ),
            lambda: item(f"Спасибо {m}у {pm}у, он помог с ЭЦП.", [("person", f"{m}у {pm}у")]),
            lambda: item(
                f"Менің атым {f}, {R.choice(PATR_KK_F)}.".replace(", ", " "), []
            ),  # fixed below
            lambda: item(
                f"Маған {m} {(p := R.choice(PATR_KK_M))} көмектесті, ол ЦОН-да істейді.",
                [("person", f"{m} {p}")],
                "kk",
            ),
            lambda: item(
                f"Менің ЖСН {(x := iin())}, бірақ жүйе оны қабылдамады.", [("iin", x)], "kk"
            ),
            lambda: item(f"Телефоным {(x := phone())}, хабарласыңыз.", [("phone", x)], "kk"),
            lambda: item(
                f"Мекенжайым {(x := address_kk())}, Алматы қаласы.", [("address", x)], "kk"
            ),
            lambda: item(
                f"Оператор {sf} мне нагрубила, а её коллега {m} извинился.",
                [("person", sf), ("person", m)],
            ),
            lambda: item(
                f"Вопрос решила {f} из соседнего окна, звоните ей: {(x := phone())}.",
                [("person", f), ("phone", x)],
            ),
        ]
        for i, mk in enumerate(choices):
            it = mk()
            if i == 11:  # Kazakh self-introduction with patronymic
                p = R.choice(PATR_KK_F)
                it = item(f"Менің атым {f} {p}, мен мұғаліммін.", [("person", f"{f} {p}")], "kk")
            out.append(it)
    R.shuffle(out)
    seen, uniq = set(), []
    for it in out:
        if it["text"] not in seen:
            seen.add(it["text"])
            uniq.append(it)
    return uniq[:150]


HAND = [
    item("Я живу на ул. Абая, недалеко от ЦОНа.", []),
    item("В акимате Алматы сказали ждать две недели.", []),
    item("Через eGov ничего не работает, всё время ошибка.", []),
    item("Госкорпорация прислала смс, что документы готовы.", []),
    item("Мы ездили в Астану за справкой, там быстрее.", []),
    item("Проспект Назарбаева перекрыли, я опоздала на приём.", []),
    item("Школа имени Абая рядом с нашим домом.", []),
    item("Номер заявки 123456789012 не проходил по базе.", []),
    item("Звонила в 1414, там долго ждать на линии.", []),
    item("Очередь была 45 человек, мой талон номер 237.", []),
    item("В Шымкенте ЦОН работает лучше, чем у нас.", []),
    item("Сотрудник Халык банка помог оформить карту.", []),
    item("Вера в систему пропала после третьего отказа.", []),
    item("Любовь к очередям у нас в крови, шучу.", []),
    item("ЭЦП не работала, NCALayer выдавал ошибку.", []),
    item("Мен Астанада тұрамын, ХҚКО-ға үш рет бардым.", [], "kk"),
    item("Әкімдікте бізге ешкім жауап бермеді.", [], "kk"),
    item("На улице Сатпаева новый ЦОН открыли.", []),
    item("Я пришла в ЦОН Бостандыкского района в девять утра.", []),
    item("Портал egov.kz завис, пришлось идти лично.", []),
    item("Справку выдали только на пятый день, в пятницу.", []),
    item("Надежда была на электронную очередь, но она не работает.", []),
    item("Я в Караганде прописана, а живу в Темиртау.", []),
    item(
        "Заведующая, Сауле Кенжебаевна, сказала прийти завтра.", [("person", "Сауле Кенжебаевна")]
    ),
    item("Это была Нурланова, точно помню её фамилию.", [("person", "Нурланова")]),
    item("Документы забрал Ким, кореец из соседнего окна.", [("person", "Ким")]),
    item("Я дозвонилась до Ахметовой только в пятницу.", [("person", "Ахметовой")]),
    item("Жалобу написала на имя Сейткалиева Бауыржана.", [("person", "Сейткалиева Бауыржана")]),
    item("Мой ИИН 850101400120, его все спрашивают.", [("iin", "850101400120")]),
    item(
        "Городской телефон +7 (727) 2-123-456, звоните после шести.",
        [("phone", "+7 (727) 2-123-456")],
    ),
    item("Мой сотовый 8 701 123 45 67, лучше по ватсапу.", [("phone", "8 701 123 45 67")]),
    item("Пишите на aigerim.n@mail.kz или на рабочую.", [("email", "aigerim.n@mail.kz")]),
    item(
        "Живу в мкр. Самал-2, д. 15, кв. 40, это рядом.",
        [("address", "мкр. Самал-2, д. 15, кв. 40")],
    ),
    item(
        "Консультант Асылбек Жумагалиевич был очень вежлив.", [("person", "Асылбек Жумагалиевич")]
    ),
    item("С Гульнарой мы стояли в очереди вместе.", [("person", "Гульнарой")]),
    item("Я передала документы Ерлану, а он их потерял.", [("person", "Ерлану")]),
    item("Маған Нұрлан аға көмектесті, рахмет оған.", [("person", "Нұрлан")], "kk"),
    item("Бөлім басшысы Айгүл Серікқызы бізді қабылдады.", [("person", "Айгүл Серікқызы")], "kk"),
    item("Мен Жанарға үш рет қоңырау шалдым.", [("person", "Жанарға")], "kk"),
    item(
        "Ол кісінің аты Бекзат, тегі Оспанов.", [("person", "Бекзат"), ("person", "Оспанов")], "kk"
    ),
]


def main() -> None:
    from ruamel.yaml import YAML

    items = templated() + HAND
    R.shuffle(items)
    yaml = YAML()
    yaml.width = 200
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Gold set for bench/anonymise.py (generated by bench/make_anonymise_gold.py).\n"
            "# Every third item (index % 3 == 2) is held out: never look at it when tuning.\n"
        )
        yaml.dump(items, fh)
    print(len(items), "items →", OUT)


if __name__ == "__main__":
    main()
