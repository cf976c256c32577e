"""Frozen text of the default questionnaire "Penilaian Mandiri BerAKHLAK", version 1.

The data migration 0002 inserts these literals into the database. Never edit them after
release: answers already given refer to exactly this wording. A change of wording, scale,
bands or weights means a new questionnaire version, not an edit here.

Sources: the seven core values of ASN and their 21 panduan perilaku (SE MenPAN-RB No. 20
Tahun 2021; UU No. 20 Tahun 2023 Pasal 4), quoted as published; English lines are our
translations for the ``en`` locale.
"""

CORE_VALUES: tuple[dict, ...] = (
    {
        "code": "BP",
        "position": 1,
        "name_id": "Berorientasi Pelayanan",
        "name_en": "Service Oriented",
        "definition_id": "Komitmen memberikan pelayanan prima demi kepuasan masyarakat",
        "definition_en": "Committed to excellent service for public satisfaction",
        "behaviours": [
            {
                "id": "Memahami dan memenuhi kebutuhan masyarakat",
                "en": "Understands and meets the needs of the public",
            },
            {
                "id": "Ramah, cekatan, solutif, dan dapat diandalkan",
                "en": "Friendly, quick, solution-oriented and reliable",
            },
            {
                "id": "Melakukan perbaikan tiada henti",
                "en": "Makes continuous improvements",
            },
        ],
    },
    {
        "code": "AK",
        "position": 2,
        "name_id": "Akuntabel",
        "name_en": "Accountable",
        "definition_id": "Bertanggung jawab atas kepercayaan yang diberikan",
        "definition_en": "Responsible for the trust given",
        "behaviours": [
            {
                "id": (
                    "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, "
                    "dan berintegritas tinggi"
                ),
                "en": (
                    "Carries out duties honestly, responsibly, carefully, with discipline "
                    "and with high integrity"
                ),
            },
            {
                "id": (
                    "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, "
                    "efektif, dan efisien"
                ),
                "en": "Uses state assets and property responsibly, effectively and efficiently",
            },
            {
                "id": "Tidak menyalahgunakan kewenangan jabatan",
                "en": "Does not abuse the authority of their position",
            },
        ],
    },
    {
        "code": "KO",
        "position": 3,
        "name_id": "Kompeten",
        "name_en": "Competent",
        "definition_id": "Terus belajar dan mengembangkan kapabilitas",
        "definition_en": "Keeps learning and developing capability",
        "behaviours": [
            {
                "id": "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
                "en": "Improves their own competence to meet ever-changing challenges",
            },
            {
                "id": "Membantu orang lain belajar",
                "en": "Helps others learn",
            },
            {
                "id": "Melaksanakan tugas dengan kualitas terbaik",
                "en": "Carries out tasks to the highest quality",
            },
        ],
    },
    {
        "code": "HA",
        "position": 4,
        "name_id": "Harmonis",
        "name_en": "Harmonious",
        "definition_id": "Saling peduli dan menghargai perbedaan",
        "definition_en": "Caring and respecting differences",
        "behaviours": [
            {
                "id": "Menghargai setiap orang apapun latar belakangnya",
                "en": "Respects everyone, whatever their background",
            },
            {
                "id": "Suka menolong orang lain",
                "en": "Likes helping others",
            },
            {
                "id": "Membangun lingkungan kerja yang kondusif",
                "en": "Builds a conducive working environment",
            },
        ],
    },
    {
        "code": "LO",
        "position": 5,
        "name_id": "Loyal",
        "name_en": "Loyal",
        "definition_id": "Berdedikasi dan mengutamakan kepentingan Bangsa dan Negara",
        "definition_en": "Dedicated, putting the nation and state first",
        "behaviours": [
            {
                "id": (
                    "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik "
                    "Indonesia Tahun 1945, setia kepada Negara Kesatuan Republik Indonesia "
                    "serta pemerintahan yang sah"
                ),
                "en": (
                    "Holds firmly to the state ideology Pancasila and the 1945 Constitution "
                    "of the Republic of Indonesia, and is loyal to the Unitary State of the "
                    "Republic of Indonesia and its legitimate government"
                ),
            },
            {
                "id": "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
                "en": (
                    "Protects the good name of fellow civil servants, leaders, "
                    "the agency and the state"
                ),
            },
            {
                "id": "Menjaga rahasia jabatan dan negara",
                "en": "Keeps official and state secrets",
            },
        ],
    },
    {
        "code": "AD",
        "position": 6,
        "name_id": "Adaptif",
        "name_en": "Adaptive",
        "definition_id": (
            "Terus berinovasi dan antusias dalam menggerakkan ataupun menghadapi perubahan"
        ),
        "definition_en": "Keeps innovating, enthusiastic in driving or facing change",
        "behaviours": [
            {
                "id": "Cepat menyesuaikan diri menghadapi perubahan",
                "en": "Adjusts quickly to change",
            },
            {
                "id": "Terus berinovasi dan mengembangkan kreativitas",
                "en": "Keeps innovating and developing creativity",
            },
            {
                "id": "Bertindak proaktif",
                "en": "Acts proactively",
            },
        ],
    },
    {
        "code": "KL",
        "position": 7,
        "name_id": "Kolaboratif",
        "name_en": "Collaborative",
        "definition_id": "Membangun kerja sama yang sinergis",
        "definition_en": "Builds synergistic cooperation",
        "behaviours": [
            {
                "id": "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
                "en": "Gives various parties the opportunity to contribute",
            },
            {
                "id": "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
                "en": "Is open to working together to create added value",
            },
            {
                "id": "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
                "en": "Mobilises the use of various resources for shared goals",
            },
        ],
    },
)

QUESTIONNAIRE_NAME = "Penilaian Mandiri BerAKHLAK"
QUESTIONNAIRE_DESCRIPTION = (
    "Kuesioner ini mengukur seberapa sering Anda menerapkan tujuh nilai dasar ASN "
    "BerAKHLAK dalam pekerjaan sehari-hari."
)

SCALE_MIN = 1
SCALE_MAX = 5
SCALE_LABELS = {
    "id": ["Tidak pernah", "Jarang", "Kadang-kadang", "Sering", "Selalu"],
    "en": ["Never", "Rarely", "Sometimes", "Often", "Always"],
}

# Lower bounds on the 0-100 index, highest band first.
BANDS = [
    {"lower": 85, "label_id": "Sangat Baik", "label_en": "Very good"},
    {"lower": 70, "label_id": "Baik", "label_en": "Good"},
    {"lower": 55, "label_id": "Cukup", "label_en": "Fair"},
    {"lower": 0, "label_id": "Perlu Pengembangan", "label_en": "Needs development"},
]

WEIGHTS = {"BP": 1, "AK": 1, "KO": 1, "HA": 1, "LO": 1, "AD": 1, "KL": 1}

# Groups smaller than this are not reported separately (respondent privacy).
MIN_GROUP_SIZE = 5

# Four items per value: one ("a") per behaviour, a second ("b") for one behaviour, and
# exactly one reverse-keyed item per value (agreeing means the behaviour is absent).
ITEMS: tuple[dict, ...] = (
    # BP: Berorientasi Pelayanan
    {
        "code": "BP-1a",
        "value": "BP",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya menanyakan kebutuhan pengguna layanan, baik masyarakat maupun pegawai "
            "unit lain, hingga jelas sebelum melayaninya."
        ),
        "text_en": (
            "I ask service users, whether members of the public or staff of other units, "
            "what they need until it is clear before serving them."
        ),
    },
    {
        "code": "BP-2a",
        "value": "BP",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya menanggapi permintaan layanan dengan ramah dan menyelesaikannya tanpa menunda."
        ),
        "text_en": "I respond to service requests courteously and complete them without delay.",
    },
    {
        "code": "BP-2b",
        "value": "BP",
        "behaviour": 2,
        "reverse": True,
        "text_id": (
            "Saya mengarahkan pengguna layanan ke pihak lain tanpa memastikan masalahnya "
            "benar-benar tertangani."
        ),
        "text_en": (
            "I send service users on to someone else without making sure their problem "
            "actually gets dealt with."
        ),
    },
    {
        "code": "BP-3a",
        "value": "BP",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya menggunakan keluhan dan masukan pengguna layanan untuk memperbaiki cara "
            "kerja saya."
        ),
        "text_en": "I use complaints and feedback from service users to improve the way I work.",
    },
    # AK: Akuntabel
    {
        "code": "AK-1a",
        "value": "AK",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya melaporkan hasil pekerjaan apa adanya, termasuk kesalahan atau kekurangan "
            "yang saya temukan."
        ),
        "text_en": (
            "I report the results of my work as they are, including any mistakes or "
            "shortcomings I find."
        ),
    },
    {
        "code": "AK-1b",
        "value": "AK",
        "behaviour": 1,
        "reverse": True,
        "text_id": (
            "Saya menunda pekerjaan yang sudah menjadi tanggung jawab saya sampai ditegur atasan."
        ),
        "text_en": "I put off work that is my responsibility until my superior reprimands me.",
    },
    {
        "code": "AK-2a",
        "value": "AK",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya memakai barang milik negara, seperti kendaraan dinas, komputer, dan alat "
            "tulis kantor, hanya untuk keperluan dinas dan secara hemat."
        ),
        "text_en": (
            "I use state property, such as official vehicles, computers and office supplies, "
            "only for official purposes and economically."
        ),
    },
    {
        "code": "AK-3a",
        "value": "AK",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya menggunakan kewenangan dan akses jabatan saya hanya untuk kepentingan tugas, "
            "bukan untuk kepentingan pribadi, keluarga, atau kenalan."
        ),
        "text_en": (
            "I use the authority and access of my position only for official duties, not for "
            "the benefit of myself, my family or people I know."
        ),
    },
    # KO: Kompeten
    {
        "code": "KO-1a",
        "value": "KO",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya mempelajari pengetahuan atau keterampilan baru yang dibutuhkan untuk "
            "menghadapi perubahan dalam pekerjaan saya."
        ),
        "text_en": "I learn the new knowledge or skills I need to keep up with changes in my work.",
    },
    {
        "code": "KO-1b",
        "value": "KO",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya meminta masukan atas hasil kerja saya dan memakainya untuk meningkatkan "
            "kemampuan saya."
        ),
        "text_en": "I ask for feedback on my work and use it to improve my skills.",
    },
    {
        "code": "KO-2a",
        "value": "KO",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya membagikan pengetahuan dan cara kerja saya kepada rekan yang membutuhkan, "
            "misalnya dengan menjelaskan atau mendampinginya."
        ),
        "text_en": (
            "I share my knowledge and ways of working with colleagues who need them, for "
            "example by explaining things or working alongside them."
        ),
    },
    {
        "code": "KO-3a",
        "value": "KO",
        "behaviour": 3,
        "reverse": True,
        "text_id": "Saya menyerahkan pekerjaan asal selesai tanpa memastikan mutunya.",
        "text_en": "I hand in work just to get it done, without making sure of its quality.",
    },
    # HA: Harmonis
    {
        "code": "HA-1a",
        "value": "HA",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya menghormati setiap orang secara setara, apa pun suku, agama, jabatan, atau "
            "latar belakangnya."
        ),
        "text_en": (
            "I treat everyone with equal respect, whatever their ethnicity, religion, position "
            "or background."
        ),
    },
    {
        "code": "HA-2a",
        "value": "HA",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya menawarkan bantuan kepada rekan kerja yang sedang kesulitan tanpa menunggu "
            "diminta."
        ),
        "text_en": "I offer help to colleagues who are struggling without waiting to be asked.",
    },
    {
        "code": "HA-3a",
        "value": "HA",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya menyelesaikan perbedaan pendapat dengan rekan kerja melalui pembicaraan yang "
            "baik dan saling menghargai."
        ),
        "text_en": (
            "I settle disagreements with colleagues by talking them through calmly and "
            "respectfully."
        ),
    },
    {
        "code": "HA-3b",
        "value": "HA",
        "behaviour": 3,
        "reverse": True,
        "text_id": "Saya ikut membicarakan keburukan rekan kerja di belakangnya.",
        "text_en": "I join in talking about colleagues' faults behind their backs.",
    },
    # LO: Loyal
    {
        "code": "LO-1a",
        "value": "LO",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya menolak ajakan atau konten yang bertentangan dengan Pancasila, UUD 1945, "
            "NKRI, dan pemerintahan yang sah, termasuk di media sosial."
        ),
        "text_en": (
            "I reject calls or content against Pancasila, the 1945 Constitution, the unitary "
            "Republic or its lawful government, also on social media."
        ),
    },
    {
        "code": "LO-2a",
        "value": "LO",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya menjaga nama baik rekan ASN, pimpinan, dan instansi, baik dalam ucapan "
            "maupun unggahan di media sosial."
        ),
        "text_en": (
            "I protect the good name of fellow civil servants, leaders and my agency, both in "
            "what I say and in what I post on social media."
        ),
    },
    {
        "code": "LO-2b",
        "value": "LO",
        "behaviour": 2,
        "reverse": True,
        "text_id": (
            "Saya meneruskan kabar miring tentang pimpinan atau instansi sebelum memastikan "
            "kebenarannya."
        ),
        "text_en": (
            "I pass on unflattering rumours about the leadership or my agency before checking "
            "whether they are true."
        ),
    },
    {
        "code": "LO-3a",
        "value": "LO",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya menjaga dokumen, data, dan informasi rahasia yang saya tangani agar tidak "
            "diketahui pihak yang tidak berhak."
        ),
        "text_en": (
            "I keep the confidential documents, data and information I handle away from "
            "anyone not entitled to see them."
        ),
    },
    # AD: Adaptif
    {
        "code": "AD-1a",
        "value": "AD",
        "behaviour": 1,
        "reverse": True,
        "text_id": (
            "Saya tetap memakai cara kerja lama meskipun aplikasi atau prosedur baru sudah "
            "ditetapkan."
        ),
        "text_en": (
            "I stick to the old way of working even after a new application or procedure has "
            "been introduced."
        ),
    },
    {
        "code": "AD-2a",
        "value": "AD",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya mengusulkan atau mencoba cara baru agar pekerjaan atau layanan di unit saya "
            "lebih cepat, mudah, atau hemat."
        ),
        "text_en": (
            "I propose or try out new ways to make the work or services of my unit faster, "
            "simpler or cheaper."
        ),
    },
    {
        "code": "AD-2b",
        "value": "AD",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya mempelajari praktik baik dari unit atau instansi lain lalu menyesuaikannya "
            "untuk pekerjaan saya."
        ),
        "text_en": "I study good practices from other units or agencies and adapt them to my work.",
    },
    {
        "code": "AD-3a",
        "value": "AD",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya mengambil langkah yang diperlukan tanpa menunggu perintah ketika melihat "
            "masalah atau peluang dalam pekerjaan."
        ),
        "text_en": (
            "I take the necessary steps without waiting for instructions when I see a problem "
            "or an opportunity in my work."
        ),
    },
    # KL: Kolaboratif
    {
        "code": "KL-1a",
        "value": "KL",
        "behaviour": 1,
        "reverse": False,
        "text_id": (
            "Saya memberi kesempatan kepada semua pihak yang terlibat, termasuk pegawai baru, "
            "untuk menyampaikan ide dan ikut berperan dalam pekerjaan."
        ),
        "text_en": (
            "I give everyone involved, including new staff, the chance to put forward ideas "
            "and play a part in the work."
        ),
    },
    {
        "code": "KL-2a",
        "value": "KL",
        "behaviour": 2,
        "reverse": False,
        "text_id": (
            "Saya berbagi data, informasi, atau dokumen yang dibutuhkan unit lain untuk "
            "menyelesaikan pekerjaan bersama."
        ),
        "text_en": "I share the data, information or documents other units need for joint work.",
    },
    {
        "code": "KL-2b",
        "value": "KL",
        "behaviour": 2,
        "reverse": True,
        "text_id": (
            "Saya menolak permintaan kerja sama dari unit lain dengan alasan bukan tugas unit saya."
        ),
        "text_en": (
            "I turn down requests for cooperation from other units on the grounds that it is "
            "not my unit's job."
        ),
    },
    {
        "code": "KL-3a",
        "value": "KL",
        "behaviour": 3,
        "reverse": False,
        "text_id": (
            "Saya mengajak berbagai pihak memadukan data, sarana, dan keahlian yang mereka "
            "miliki untuk mencapai tujuan bersama."
        ),
        "text_en": (
            "I bring different parties together to pool their data, facilities and expertise "
            "towards a shared goal."
        ),
    },
)

# --- the culture map (Peta Budaya), inserted by migration 0009 into version 2 -------------
# How many behaviours a person chooses in each lens.
CULTURE_PICK = 10

# Limiting behaviours (perilaku penghambat) offered beside the 21 BerAKHLAK behaviours: the
# habits people in a Pemda name when work does not go well. Written as behaviours one can
# see, not as judgements of people.
LIMITING_BEHAVIOURS: tuple[dict, ...] = (
    {"code": "L01", "id": "Saling menyalahkan", "en": "Blaming one another"},
    {"code": "L02", "id": "Birokrasi berbelit-belit", "en": "Convoluted red tape"},
    {"code": "L03", "id": "Menunda-nunda pekerjaan", "en": "Putting work off"},
    {"code": "L04", "id": "Takut mengambil keputusan", "en": "Afraid to make decisions"},
    {
        "code": "L05",
        "id": "Bekerja sendiri-sendiri (ego sektoral)",
        "en": "Working in silos",
    },
    {"code": "L06", "id": "Informasi tidak dibagi", "en": "Information is not shared"},
    {"code": "L07", "id": "Pilih kasih", "en": "Favouritism"},
    {
        "code": "L08",
        "id": "Asal bapak senang (ABS)",
        "en": "Telling superiors only what they want to hear",
    },
    {"code": "L09", "id": "Menghindari tanggung jawab", "en": "Avoiding responsibility"},
    {
        "code": "L10",
        "id": "Mencari-cari kesalahan orang lain",
        "en": "Looking for other people's mistakes",
    },
    {"code": "L11", "id": "Menolak perubahan", "en": "Resisting change"},
    {
        "code": "L12",
        "id": "Bekerja sekadar menggugurkan kewajiban",
        "en": "Doing only the bare minimum",
    },
    {"code": "L13", "id": "Tidak tepat waktu (jam karet)", "en": 'Not on time ("rubber time")'},
    {"code": "L14", "id": "Gosip dan saling curiga", "en": "Gossip and mutual suspicion"},
)
