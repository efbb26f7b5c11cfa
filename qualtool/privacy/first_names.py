"""The first names `names` knows by list: Kazakh (and a few Russian) names pymorphy3's
dictionary lacks or misreads, the list earlier releases had (`legacy_keys` reproduces their
keys with it) and the common Kazakh names added since, in the Russian and the Kazakh spelling;
and those of them that are also common words (`names.common_word`)."""

from __future__ import annotations

from qualtool.nlp import normalise

# Kazakh (and a few Russian) first names that pymorphy3's dictionary lacks or misreads: the list
# as earlier releases had it (`legacy_keys` reproduces their keys with it, do not extend it) …
LEGACY_FIRST_NAMES = frozenset(
    normalise(n)
    for n in [
        "Абай",
        "Абылай",
        "Адиль",
        "Айбек",
        "Айдар",
        "Айдос",
        "Айдын",
        "Алмас",
        "Алибек",
        "Алихан",
        "Амир",
        "Анвар",
        "Арман",
        "Арсен",
        "Аскар",
        "Асет",
        "Асхат",
        "Ахмет",
        "Бакыт",
        "Бауыржан",
        "Бахыт",
        "Бейбит",
        "Бекзат",
        "Болат",
        "Даурен",
        "Дамир",
        "Данияр",
        "Дархан",
        "Диас",
        "Досжан",
        "Думан",
        "Ерасыл",
        "Ерболат",
        "Ерик",
        "Ерлан",
        "Ержан",
        "Еркебулан",
        "Ермек",
        "Жандос",
        "Жанибек",
        "Жасулан",
        "Кайрат",
        "Канат",
        "Куаныш",
        "Мади",
        "Мейрам",
        "Мирас",
        "Мурат",
        "Нурбек",
        "Нурлан",
        "Нуржан",
        "Нурсултан",
        "Олжас",
        "Рауан",
        "Руслан",
        "Самат",
        "Санжар",
        "Серик",
        "Серикболат",
        "Талгат",
        "Тимур",
        "Темирлан",
        "Улан",
        "Ельдар",
        "Жомарт",
        "Максат",
        "Марлен",
        "Азамат",
        "Бекболат",
        "Айгерим",
        "Айгуль",
        "Айжан",
        "Айнур",
        "Айсулу",
        "Акбота",
        "Акмарал",
        "Алия",
        "Асель",
        "Асем",
        "Балжан",
        "Ботагоз",
        "Гаухар",
        "Гульмира",
        "Гульнара",
        "Гульнар",
        "Гульжан",
        "Динара",
        "Жанар",
        "Жанна",
        "Жибек",
        "Зарина",
        "Индира",
        "Камила",
        "Карлыгаш",
        "Ляззат",
        "Мадина",
        "Маржан",
        "Меруерт",
        "Молдир",
        "Назерке",
        "Салтанат",
        "Сауле",
        "Сабина",
        "Томирис",
        "Улжан",
        "Шынар",
        "Айым",
        "Аружан",
        "Дана",
        "Дильназ",
        "Жулдыз",
        "Раушан",
        "Роза",
        "Сания",
        "Толкын",
        "Умит",
        "Анар",
        "Арайлым",
        "Бибигуль",
        "Куралай",
        "Бота",
        "Айдана",
        "Асылжан",
        "Гулим",
        "Жаннат",
        "Зауре",
        "Кунсулу",
        "Сымбат",
        "Эльмира",
        "Асылхан",
        "Ақбота",
        "Айбөпе",
        "Нұрлан",
        "Ерқанат",
    ]
)
# … and the common Kazakh names it lacked, women's and men's, in the Russian spelling and the
# Kazakh one (ә ө ү ұ і ғ қ ң һ): «Шолпан.» alone was found nowhere, neither by NER nor here.
# That list is the one the release before the Kazakh letters folded (`names.fold_kazakh`) keyed
# words with (`legacy_keys.spelt_key` reproduces those keys with it: do not extend it either).


def _listed(text: str) -> frozenset[str]:
    return frozenset(normalise(n) for n in text.split())


SPELT_FIRST_NAMES = LEGACY_FIRST_NAMES | _listed(
    "Шолпан Айгерім Гульнур Гүлнұр Гүлнара Әсел Әсем Ботагөз Жұлдыз Айгүл Гүлмира Жансая "
    "Дилназ Ділназ Камшат Ақмарал Ақерке Акерке Айнұр Нургуль Нұргүл Гүлшат Гульшат Күлпаш "
    "Кульпаш Балауса Жазира Аяулым Гауһар Гулжан Гүлжан Сәуле Ләззат Мөлдір Күнсұлу Ұлжан "
    "Толқын Үміт Зере Жібек Нұрай Нурай Айару Қарлығаш Әлия Жанель Анель Гүлнар Меруерт "
    "Аида Асылзат Дариға Дарига Әйгерім Гүлім Гульзат Гүлзат Жадыра Назгүл "
    "Назгуль Нұрсулу Нурсулу Ақнұр Акнур Сымбат Тоғжан Тогжан Інжу Инжу Ұлдана Улдана "
    "Серік Берік Дәурен Қанат Талғат Нұржан Нұрсұлтан Сұлтан Бақыт Бағдат Багдат Бекжан "
    "Ғалым Жақсылық Жаксылык Жасұлан Қайрат Қуаныш Мұрат Серікбол Әлібек Әлихан Әділ "
    "Дінмұхамед Ерғали Ергали Жеңіс Женис Мейірбек Нұрбол Нурбол Рүстем Сәкен Сакен "
    "Темірлан Ілияс Шыңғыс Шынгыс Дәулет Ердос Еркін Жарас Қасым Касым Мақсат Нұрдәулет "
    "Самғат Самгат Ақжол Акжол Бақытжан Бахытжан Ерназар Жанболат Асылбек Нұрлыбек "
    "Нурлыбек Ерасыл Ерсұлтан Ерсултан Әлішер Алишер Ғабит Габит Дәурен Ербол Мәди Берик "
    "Ерден Қуандық Куандык Нұрасыл Нурасыл Дастан Бекарыс Ерхан Мұхтар Бағлан Баглан"
)
# the names `names` knows by list now (a name added from here on: `SPELT_FIRST_NAMES | …`)
FIRST_NAMES = SPELT_FIRST_NAMES
# A listed name that is also a common word: «Дана» (дана, given), «Роза», «Канат» (канат), «Бота»,
# and Kazakh nouns used as names — «Бақыт» (happiness), «Үміт» (hope), «Жеңіс» (victory). Such a
# word is a name only where nothing else explains its capital: mid-sentence, next to a name part
# (a surname, a patronymic: «Дана Серикова»), or as a whole text (a speaker label «Роза»); at a
# sentence start alone («Дана справка …», «Бақыт деген …») it is the word.
KAZAKH_WORDS = _listed(
    "Бақыт Бакыт Бахыт Үміт Умит Жеңіс Женис Толқын Толкын Мөлдір Молдир Еркін Қуаныш "
    "Куаныш Жақсылық Жаксылык Бота Ару Інжу Инжу Ақжол Акжол"
)
