"""Referral test data in every language, with the strings that shaping gets wrong first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from practitioner_toolkit.forms import FormDefinition, load_and_validate
from practitioner_toolkit.forms.registry import FormRegistry
from practitioner_toolkit.forms.session import ScreeningService
from practitioner_toolkit.store import (
    Agency,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    Referral,
    Urgency,
    Workspace,
)

FIXTURES = Path(__file__).parent / "fixtures"
NINE_LANGUAGES = FIXTURES / "nine-languages.yaml"
LANGUAGES = ("en", "th", "km", "lo", "my", "vi", "id", "ms", "fil")


@dataclass(frozen=True)
class Sample:
    agency: str
    address: str
    reason: str
    summary: str
    given_name: str
    family_name: str


SAMPLES: dict[str, Sample] = {
    "en": Sample(
        "Hope Shelter for Women",
        "12 River Road, Mae Sot",
        "Needs safe accommodation and medical care tonight.",
        "Recruited by an agent with a false job offer; passport kept by the employer.",
        "Mary",
        "Stone",
    ),
    "th": Sample(
        "บ้านพักเด็กและครอบครัว ที่นี่",
        "ถนนริมน้ำ แม่สอด ตาก",
        "ต้องการที่พักที่ปลอดภัยและการรักษาพยาบาลคืนนี้ ผู้ใหญ่",
        "ถูกนายหน้าหลอกว่ามีงานทำ ที่นี่ ผู้ใหญ่ ยึดหนังสือเดินทางไว้",
        "สมหญิง",
        "ใจดี",
    ),
    "km": Sample(
        "មណ្ឌលស្នាក់នៅបណ្ដោះអាសន្នសម្រាប់ស្ត្រី",
        "ផ្លូវលេខ ១២ ក្រុងប៉ោយប៉ែត",
        "ត្រូវការកន្លែងស្នាក់នៅមានសុវត្ថិភាព និងការថែទាំសុខភាពនៅយប់នេះ។",
        "ភ្នាក់ងារបានសន្យាការងារក្លែងក្លាយ ហើយនិយោជករក្សាលិខិតឆ្លងដែន និងប្រាក់ខែ។ ស្ត្រី",
        "សុភា",
        "ចាន់",
    ),
    "lo": Sample(
        "ສູນພັກເຊົາຊົ່ວຄາວສຳລັບແມ່ຍິງ",
        "ຖະໜົນແມ່ນ້ຳ ນະຄອນຫຼວງວຽງຈັນ",
        "ຕ້ອງການບ່ອນພັກທີ່ປອດໄພ ແລະ ການປິ່ນປົວຄືນນີ້.",
        "ທ່ານຖືກບັງຄັບໃຫ້ເຮັດວຽກ ແລະ ນາຍຈ້າງເກັບໜັງສືຜ່ານແດນໄວ້.",
        "ບົວພັນ",
        "ສີສຸກ",
    ),
    "my": Sample(
        "အမျိုးသမီးများအတွက် ယာယီနေရာ မြန်မာ",
        "မြဝတီ၊ ကရင်ပြည်နယ်",
        "ယနေ့ညတွင် ဘေးကင်းသောနေရာနှင့် ဆေးကုသမှု လိုအပ်သည်။ ကျေးဇူး",
        "အလုပ်ရှင်က နိုင်ငံကူးလက်မှတ်ကို သိမ်းထားသည်။ မြန်မာ ကျေးဇူးတင်ပါတယ်",
        "နန္ဒာ",
        "ကျော်",
    ),
    "vi": Sample(
        "Nhà tạm lánh Hy Vọng",
        "Số 12 đường Bờ Sông, thị xã Mộc Bài",
        "Cần chỗ ở an toàn và chăm sóc y tế ngay tối nay.",
        "Bị môi giới lừa về công việc; chủ giữ hộ chiếu của Nguyễn Thị Hương.",
        "Hương",
        "Nguyễn Thị",
    ),
    "id": Sample(
        "Rumah Aman Harapan",
        "Jalan Sungai 12, Batam",
        "Membutuhkan tempat aman dan perawatan medis malam ini.",
        "Direkrut agen dengan tawaran kerja palsu; paspor ditahan majikan.",
        "Siti",
        "Rahayu",
    ),
    "ms": Sample(
        "Rumah Perlindungan Harapan",
        "Jalan Sungai 12, Johor Bahru",
        "Memerlukan tempat selamat dan rawatan perubatan malam ini.",
        "Direkrut ejen dengan tawaran kerja palsu; pasport ditahan majikan.",
        "Aminah",
        "Yusof",
    ),
    "fil": Sample(
        "Bahay Kanlungan ng Pag-asa",
        "12 Daang Ilog, Zamboanga",
        "Kailangan ng ligtas na tirahan at gamutan ngayong gabi.",
        "Nirekrut ng ahente sa pekeng trabaho; hawak ng amo ang pasaporte.",
        "Maria",
        "Santos",
    ),
}

# A personal detail no test shares: it must never appear in a PDF.
NOT_SHARED_ALIAS = "Alias-Never-Shared"
# The interview's free-text answer (a sensitive question): never to be printed.
SECRET_STORY = "ZEBRA-SECRET-STORY the boss locked us in the boat hold"
CONSENT = Consent(
    True,
    "person",
    ConsentMethod.WRITTEN,
    "2026-03-01T10:00:00Z",
    ("purpose", "data_use", "sharing"),
    witness="Officer Chea",
)


def nine_language_form() -> FormDefinition:
    return load_and_validate(NINE_LANGUAGES)


def registry() -> FormRegistry:
    form = nine_language_form()
    return FormRegistry({form.key: form})


def make_referral(
    workspace: Workspace,
    language: str,
    *,
    shared_fields: tuple[str, ...] = ("given_name", "age", "languages", "screening_summary"),
    reason: str | None = None,
    summary: str | None = None,
    consent: Consent = CONSENT,
) -> Referral:
    """A case screened with the nine-language form, referred to an agency in ``language``."""
    sample = SAMPLES[language]
    forms = registry()
    agency = workspace.agencies.save(
        Agency(
            "",
            sample.agency,
            "shelter",
            ("shelter", "medical"),
            area="Border",
            address=sample.address,
            phone="+66 55 123 456",
        )
    )
    case = workspace.cases.open_case(
        IntervieweeDetails(
            given_name=sample.given_name,
            family_name=sample.family_name,
            alias=NOT_SHARED_ALIAS,
            sex="female",
            age_estimate=24,
            nationality="Myanmar",
            languages=(language,),
        ),
        post="Mae Sot",
    )
    active = ScreeningService(workspace, forms).start(
        case.id, "nine-languages", "en", language, Interpreter(True, language)
    )
    for question, answer in (
        ("consent", "yes"),
        ("who_recruited", "agent"),
        ("deceived", "yes"),
        ("threats", "yes"),
        ("hours", "yes"),
        ("documents", "yes"),
        ("story", SECRET_STORY),
    ):
        assert active.answer(question, answer) is None
    active.finish()
    return workspace.referrals.create(
        case.id,
        agency.id,
        ("shelter", "medical", "legal"),
        Urgency.URGENT,
        consent,
        session_id=active.session.id,
        shared_fields=shared_fields,
        reason=sample.reason if reason is None else reason,
        summary=sample.summary if summary is None else summary,
    )
