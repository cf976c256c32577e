"""Data for the demo organisation: made-up on purpose, used only by ``flask seed-demo``.

"Pemerintah Kota Sukamaju" does not exist. Its organisation chart, people's names, titles,
positions and ranks are here to look like a real Indonesian city government, so a demo feels
familiar to HR staff, while every person and unit is fictional. Nothing here is real data.
"""

from __future__ import annotations

CITY_NAME = "Pemerintah Kota Sukamaju"

# Pemkot -> Perangkat Daerah -> Bidang / Bagian / Seksi / Kelurahan -> Seksi / Subbagian.
ORG_TREE: dict = {
    "code": "PEMKOT",
    "name": "Pemerintah Kota Sukamaju",
    "children": [
        {
            "code": "SETDA",
            "name": "Sekretariat Daerah",
            "children": [
                {
                    "code": "SETDA-PEM",
                    "name": "Bagian Pemerintahan",
                    "children": [
                        {
                            "code": "SETDA-PEM-OTDA",
                            "name": "Subbagian Otonomi Daerah",
                            "children": [],
                        },
                        {
                            "code": "SETDA-PEM-KERJASAMA",
                            "name": "Subbagian Kerja Sama",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "SETDA-HUKUM",
                    "name": "Bagian Hukum",
                    "children": [
                        {
                            "code": "SETDA-HUKUM-PUU",
                            "name": "Subbagian Perundang-undangan",
                            "children": [],
                        },
                        {
                            "code": "SETDA-HUKUM-BANKUM",
                            "name": "Subbagian Bantuan Hukum",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "SETDA-ORG",
                    "name": "Bagian Organisasi",
                    "children": [],
                },
                {
                    "code": "SETDA-UMUM",
                    "name": "Bagian Umum",
                    "children": [
                        {
                            "code": "SETDA-UMUM-TUP",
                            "name": "Subbagian Tata Usaha Pimpinan",
                            "children": [],
                        },
                        {
                            "code": "SETDA-UMUM-RT",
                            "name": "Subbagian Rumah Tangga",
                            "children": [],
                        },
                    ],
                },
            ],
        },
        {
            "code": "DISKOMINFO",
            "name": "Dinas Komunikasi dan Informatika",
            "children": [
                {
                    "code": "DISKOMINFO-SEKRE",
                    "name": "Sekretariat Dinas Komunikasi dan Informatika",
                    "children": [
                        {
                            "code": "DISKOMINFO-SEKRE-UMPEG",
                            "name": "Subbagian Umum dan Kepegawaian",
                            "children": [],
                        },
                        {
                            "code": "DISKOMINFO-SEKRE-KEU",
                            "name": "Subbagian Perencanaan dan Keuangan",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DISKOMINFO-IKP",
                    "name": "Bidang Informasi dan Komunikasi Publik",
                    "children": [],
                },
                {
                    "code": "DISKOMINFO-APTIKA",
                    "name": "Bidang Aplikasi Informatika",
                    "children": [
                        {
                            "code": "DISKOMINFO-APTIKA-S1",
                            "name": "Seksi Pengembangan Aplikasi",
                            "children": [],
                        },
                        {
                            "code": "DISKOMINFO-APTIKA-S2",
                            "name": "Seksi Infrastruktur dan Jaringan",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DISKOMINFO-SANDI",
                    "name": "Bidang Statistik dan Persandian",
                    "children": [],
                },
            ],
        },
        {
            "code": "DISDIK",
            "name": "Dinas Pendidikan",
            "children": [
                {
                    "code": "DISDIK-SEKRE",
                    "name": "Sekretariat Dinas Pendidikan",
                    "children": [],
                },
                {
                    "code": "DISDIK-SD",
                    "name": "Bidang Pembinaan Sekolah Dasar",
                    "children": [
                        {
                            "code": "DISDIK-SD-KUR",
                            "name": "Seksi Kurikulum dan Penilaian Sekolah Dasar",
                            "children": [],
                        },
                        {
                            "code": "DISDIK-SD-SARPRAS",
                            "name": "Seksi Sarana dan Prasarana Sekolah Dasar",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DISDIK-SMP",
                    "name": "Bidang Pembinaan Sekolah Menengah Pertama",
                    "children": [],
                },
                {
                    "code": "DISDIK-GTK",
                    "name": "Bidang Pendidik dan Tenaga Kependidikan",
                    "children": [],
                },
            ],
        },
        {
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "children": [
                {
                    "code": "DINKES-SEKRE",
                    "name": "Sekretariat Dinas Kesehatan",
                    "children": [],
                },
                {
                    "code": "DINKES-KESMAS",
                    "name": "Bidang Kesehatan Masyarakat",
                    "children": [
                        {
                            "code": "DINKES-KESMAS-GIZI",
                            "name": "Seksi Kesehatan Keluarga dan Gizi",
                            "children": [],
                        },
                        {
                            "code": "DINKES-KESMAS-PROMKES",
                            "name": "Seksi Promosi dan Pemberdayaan Masyarakat",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DINKES-P2P",
                    "name": "Bidang Pencegahan dan Pengendalian Penyakit",
                    "children": [],
                },
                {
                    "code": "DINKES-YANKES",
                    "name": "Bidang Pelayanan Kesehatan",
                    "children": [],
                },
            ],
        },
        {
            "code": "DPUPR",
            "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
            "children": [
                {
                    "code": "DPUPR-SEKRE",
                    "name": "Sekretariat Dinas Pekerjaan Umum dan Penataan Ruang",
                    "children": [],
                },
                {
                    "code": "DPUPR-BM",
                    "name": "Bidang Bina Marga",
                    "children": [
                        {
                            "code": "DPUPR-BM-BANGUN",
                            "name": "Seksi Pembangunan Jalan dan Jembatan",
                            "children": [],
                        },
                        {
                            "code": "DPUPR-BM-PELIHARA",
                            "name": "Seksi Pemeliharaan Jalan dan Jembatan",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DPUPR-SDA",
                    "name": "Bidang Sumber Daya Air",
                    "children": [],
                },
                {
                    "code": "DPUPR-TR",
                    "name": "Bidang Penataan Ruang",
                    "children": [],
                },
            ],
        },
        {
            "code": "DISDUKCAPIL",
            "name": "Dinas Kependudukan dan Pencatatan Sipil",
            "children": [
                {
                    "code": "DISDUKCAPIL-SEKRE",
                    "name": "Sekretariat Dinas Kependudukan dan Pencatatan Sipil",
                    "children": [],
                },
                {
                    "code": "DISDUKCAPIL-DAFDUK",
                    "name": "Bidang Pelayanan Pendaftaran Penduduk",
                    "children": [
                        {
                            "code": "DISDUKCAPIL-DAFDUK-IDENTITAS",
                            "name": "Seksi Identitas Penduduk",
                            "children": [],
                        },
                        {
                            "code": "DISDUKCAPIL-DAFDUK-PINDAH",
                            "name": "Seksi Pindah Datang Penduduk",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "DISDUKCAPIL-CAPIL",
                    "name": "Bidang Pelayanan Pencatatan Sipil",
                    "children": [],
                },
                {
                    "code": "DISDUKCAPIL-PIAK",
                    "name": "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                    "children": [],
                },
            ],
        },
        {
            "code": "BKPSDM",
            "name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "children": [
                {
                    "code": "BKPSDM-SEKRE",
                    "name": "Sekretariat Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                    "children": [
                        {
                            "code": "BKPSDM-SEKRE-UMPEG",
                            "name": "Subbagian Umum dan Kepegawaian",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "BKPSDM-PPI",
                    "name": "Bidang Pengadaan, Pemberhentian, dan Informasi Kepegawaian",
                    "children": [
                        {
                            "code": "BKPSDM-PPI-DATA",
                            "name": "Subbidang Data dan Sistem Informasi Kepegawaian",
                            "children": [],
                        },
                        {
                            "code": "BKPSDM-PPI-PENGADAAN",
                            "name": "Subbidang Pengadaan dan Pemberhentian",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "BKPSDM-MUTASI",
                    "name": "Bidang Mutasi dan Promosi",
                    "children": [],
                },
                {
                    "code": "BKPSDM-BANGKOM",
                    "name": "Bidang Pengembangan Kompetensi Aparatur",
                    "children": [],
                },
            ],
        },
        {
            "code": "BAPPEDA",
            "name": "Badan Perencanaan Pembangunan Daerah",
            "children": [
                {
                    "code": "BAPPEDA-SEKRE",
                    "name": "Sekretariat Badan Perencanaan Pembangunan Daerah",
                    "children": [],
                },
                {
                    "code": "BAPPEDA-EKO",
                    "name": "Bidang Perekonomian dan Sumber Daya Alam",
                    "children": [],
                },
                {
                    "code": "BAPPEDA-PPM",
                    "name": "Bidang Pemerintahan dan Pembangunan Manusia",
                    "children": [],
                },
                {
                    "code": "BAPPEDA-INFRA",
                    "name": "Bidang Infrastruktur dan Kewilayahan",
                    "children": [],
                },
            ],
        },
        {
            "code": "BPKAD",
            "name": "Badan Pengelolaan Keuangan dan Aset Daerah",
            "children": [
                {
                    "code": "BPKAD-SEKRE",
                    "name": "Sekretariat Badan Pengelolaan Keuangan dan Aset Daerah",
                    "children": [],
                },
                {
                    "code": "BPKAD-ANGGARAN",
                    "name": "Bidang Anggaran",
                    "children": [],
                },
                {
                    "code": "BPKAD-PERBEND",
                    "name": "Bidang Perbendaharaan",
                    "children": [
                        {
                            "code": "BPKAD-PERBEND-KAS",
                            "name": "Subbidang Pengelolaan Kas Daerah",
                            "children": [],
                        },
                        {
                            "code": "BPKAD-PERBEND-BELANJA",
                            "name": "Subbidang Belanja",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "BPKAD-ASET",
                    "name": "Bidang Aset",
                    "children": [
                        {
                            "code": "BPKAD-ASET-INV",
                            "name": "Subbidang Penatausahaan dan Inventarisasi Aset",
                            "children": [],
                        },
                    ],
                },
            ],
        },
        {
            "code": "KEC-KOTA",
            "name": "Kecamatan Kota",
            "children": [
                {
                    "code": "KEC-KOTA-SEKRE",
                    "name": "Sekretariat Kecamatan Kota",
                    "children": [
                        {
                            "code": "KEC-KOTA-SEKRE-UMPEG",
                            "name": "Subbagian Umum dan Kepegawaian",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "KEC-KOTA-PEM",
                    "name": "Seksi Pemerintahan",
                    "children": [],
                },
                {
                    "code": "KEC-KOTA-KEL-KOTALAMA",
                    "name": "Kelurahan Kota Lama",
                    "children": [
                        {
                            "code": "KEC-KOTA-KEL-KOTALAMA-PEM",
                            "name": "Seksi Pemerintahan dan Pelayanan Umum",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "KEC-KOTA-KEL-PASARBARU",
                    "name": "Kelurahan Pasar Baru",
                    "children": [],
                },
            ],
        },
        {
            "code": "KEC-UTARA",
            "name": "Kecamatan Sukamaju Utara",
            "children": [
                {
                    "code": "KEC-UTARA-SEKRE",
                    "name": "Sekretariat Kecamatan Sukamaju Utara",
                    "children": [],
                },
                {
                    "code": "KEC-UTARA-TRANTIB",
                    "name": "Seksi Ketenteraman dan Ketertiban Umum",
                    "children": [],
                },
                {
                    "code": "KEC-UTARA-KEL-SUKAMULYA",
                    "name": "Kelurahan Sukamulya",
                    "children": [
                        {
                            "code": "KEC-UTARA-KEL-SUKAMULYA-PEM",
                            "name": "Seksi Pemerintahan dan Pelayanan Umum",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "KEC-UTARA-KEL-TANJUNGSARI",
                    "name": "Kelurahan Tanjung Sari",
                    "children": [],
                },
            ],
        },
        {
            "code": "RSUD",
            "name": "Rumah Sakit Umum Daerah Kota Sukamaju",
            "children": [
                {
                    "code": "RSUD-TU",
                    "name": "Bagian Tata Usaha",
                    "children": [
                        {
                            "code": "RSUD-TU-UMPEG",
                            "name": "Subbagian Umum dan Kepegawaian",
                            "children": [],
                        },
                        {
                            "code": "RSUD-TU-KEU",
                            "name": "Subbagian Keuangan",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "RSUD-YANMED",
                    "name": "Bidang Pelayanan Medis",
                    "children": [],
                },
                {
                    "code": "RSUD-KEP",
                    "name": "Bidang Keperawatan",
                    "children": [
                        {
                            "code": "RSUD-KEP-RANAP",
                            "name": "Seksi Keperawatan Rawat Inap",
                            "children": [],
                        },
                        {
                            "code": "RSUD-KEP-RAJAL",
                            "name": "Seksi Keperawatan Rawat Jalan",
                            "children": [],
                        },
                    ],
                },
                {
                    "code": "RSUD-PENUNJANG",
                    "name": "Bidang Penunjang Medis",
                    "children": [],
                },
            ],
        },
    ],
}

FIRST_NAMES_MALE: tuple[str, ...] = (
    # Javanese
    "Agus", "Bambang", "Joko", "Slamet", "Sugeng", "Wahyu", "Teguh", "Heru", "Eko", "Dwi",
    "Hartono", "Sutrisno", "Suparman", "Sugiarto", "Purnomo", "Supriyadi", "Suyanto", "Bayu",
    "Dimas", "Yoga", "Adi", "Tri",
    # Sundanese
    "Asep", "Dadang", "Ujang", "Cecep", "Dede", "Aep", "Engkus", "Rangga", "Iwan",
    # Muslim / general
    "Ahmad", "Muhammad", "Rizki", "Fajar", "Arif", "Hendra", "Rudi", "Yusuf", "Hasan",
    "Ilham", "Fauzan", "Ridwan", "Taufik", "Irfan", "Rahmat", "Fikri", "Hafiz",
    # Minang
    "Afrizal", "Syafrizal", "Yusrizal", "Efendi", "Zulfikar", "Hendri",
    # Bugis / Makassar
    "Andi", "Baharuddin", "Amiruddin", "Syamsul", "Hasanuddin", "Syarifuddin",
    # Batak
    "Parulian", "Togar", "Hotman", "Maruli", "Binsar", "Sahat",
    # Christian
    "Yohanes", "Petrus", "Stefanus", "Fransiskus", "Antonius", "Daniel", "Samuel", "Markus",
    # Balinese
    "I Wayan", "I Made", "I Nyoman", "I Ketut", "I Gede", "I Putu",
)  # fmt: skip

FIRST_NAMES_FEMALE: tuple[str, ...] = (
    # Javanese
    "Sri", "Endang", "Tuti", "Sumarni", "Suharti", "Winarti", "Rini", "Yuni", "Wulan",
    "Lestari", "Ratna", "Retno", "Dyah", "Sulastri", "Wahyuni", "Puji",
    # Sundanese
    "Neneng", "Euis", "Imas", "Cucu", "Ai", "Enung", "Yeni", "Lilis", "Iis",
    # Muslim / general
    "Siti", "Dewi", "Ayu", "Putri", "Indah", "Nurul", "Fitri", "Dian", "Novi", "Yanti",
    "Eka", "Intan", "Mega", "Nadia", "Anisa", "Aisyah", "Fatimah", "Nurhayati", "Rina",
    "Desi", "Yulia", "Rahmawati", "Nur", "Annisa",
    # Minang
    "Rahmi", "Yusni", "Elvira", "Yulinar", "Fitriani",
    # Bugis / Makassar
    "Hasnah", "Hasnawati", "Nurhaedah", "Sitti", "Haerani",
    # Batak
    "Tiur", "Rosdiana", "Romauli", "Lamria", "Rosmawati",
    # Christian
    "Maria", "Theresia", "Magdalena", "Veronika", "Agnes", "Yohana", "Elisabeth",
    "Kristina", "Debora",
    # Balinese
    "Ni Made", "Ni Luh", "Ni Wayan", "Ni Ketut", "Ni Komang",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    # Javanese / general
    "Saputra", "Wijaya", "Hidayat", "Kusuma", "Pratama", "Santoso", "Setiawan", "Gunawan",
    "Susanto", "Wibowo", "Nugroho", "Prasetyo", "Purnama", "Firmansyah", "Hakim", "Rahman",
    "Kurniawan", "Hermawan", "Susilo", "Utomo", "Handoko", "Wicaksono", "Hartanto",
    "Sulistyo", "Wardhana", "Yulianto", "Prabowo", "Setyawan", "Rahmadi", "Syahputra",
    "Maulana", "Ramadhan", "Nurdin", "Hamzah", "Iskandar", "Sutanto", "Kartika",
    # Sundanese
    "Permana", "Sumantri", "Suryadi", "Ramdhani", "Sopandi", "Mulyana", "Sukmana",
    "Suganda", "Hidayatullah",
    # Batak
    "Siregar", "Nasution", "Lubis", "Hasibuan", "Harahap", "Simanjuntak", "Sitompul",
    "Panjaitan", "Pardede", "Manurung", "Sinaga", "Situmorang", "Hutapea", "Tampubolon",
    "Simatupang", "Pohan", "Daulay", "Tambunan", "Ginting", "Sembiring", "Tarigan",
    # Minang
    "Tanjung", "Chaniago", "Koto", "Piliang", "Sikumbang", "Jambak",
    # Manado / Ambon
    "Sondakh", "Mandagi", "Lasut", "Rumengan", "Pangemanan", "Mamahit", "Latuconsina",
    "Manuputty", "Tuasikal", "Pattinasarany",
    # Chinese-Indonesian
    "Halim", "Tjandra", "Gunadi", "Kurniadi", "Wirawan",
    # Balinese
    "Adnyana", "Suryawan", "Astawa", "Sudarsana", "Artawan",
    # Arab-Indonesian
    "Assegaf", "Alatas", "Al Habsyi",
)  # fmt: skip

TITLES_SUFFIX: tuple[str, ...] = (
    "", "", "", "",
    ", S.Kom.", ", S.E.", ", S.H.", ", S.Sos.", ", S.IP.", ", S.T.", ", S.Pd.", ", S.Ak.",
    ", S.Kep., Ners", ", S.KM.", ", S.Farm.", ", A.Md.", ", A.Md.Kep.", ", S.Psi.",
    ", M.Si.", ", M.M.", ", M.Kes.", ", M.T.", ", M.Pd.", ", S.E., M.Ak.", ", S.H., M.H.",
)  # fmt: skip

# Functional posts open to anyone in a unit, whatever the Dinas does.
GENERAL_JOBS: tuple[str, ...] = (
    "Analis Kebijakan Ahli Pertama",
    "Analis Kebijakan Ahli Muda",
    "Arsiparis Ahli Pertama",
    "Arsiparis Terampil",
    "Pengadministrasi Umum",
    "Pengadministrasi Perkantoran",
    "Pengelola Keuangan",
    "Pengelola Data",
    "Penata Layanan Operasional",
    "Operator Layanan Operasional",
    "Pengolah Data dan Informasi",
)

# Posts of a Dinas's own trade, by the code of the Perangkat Daerah, outside its Sekretariat
# and Subbagian: a midwife works in health, never in Seksi Infrastruktur.
TRADE_JOBS: dict[str, tuple[str, ...]] = {
    "SETDA": ("Perancang Peraturan Perundang-undangan Ahli Pertama", "Analis Hukum Ahli Muda"),
    "DISKOMINFO": (
        "Pranata Komputer Ahli Pertama",
        "Pranata Komputer Ahli Muda",
        "Pranata Komputer Terampil",
        "Pranata Hubungan Masyarakat Ahli Pertama",
        "Statistisi Ahli Pertama",
        "Sandiman Ahli Pertama",
    ),
    "DISDIK": ("Guru Ahli Pertama", "Guru Ahli Muda", "Pengawas Sekolah Ahli Muda"),
    "DINKES": (
        "Dokter Ahli Pertama",
        "Perawat Ahli Pertama",
        "Perawat Terampil",
        "Bidan Ahli Pertama",
        "Bidan Terampil",
        "Penyuluh Kesehatan Masyarakat Ahli Pertama",
        "Nutrisionis Ahli Pertama",
    ),
    "RSUD": (
        "Dokter Ahli Pertama",
        "Dokter Ahli Muda",
        "Perawat Ahli Pertama",
        "Perawat Terampil",
        "Bidan Terampil",
        "Apoteker Ahli Pertama",
        "Pranata Laboratorium Kesehatan Terampil",
    ),
    "DPUPR": (
        "Teknik Jalan dan Jembatan Ahli Pertama",
        "Teknik Pengairan Ahli Pertama",
        "Penata Ruang Ahli Pertama",
    ),
    "DISDUKCAPIL": (
        "Administrator Database Kependudukan Ahli Pertama",
        "Administrator Database Kependudukan Terampil",
    ),
    "BKPSDM": (
        "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "Pranata Komputer Ahli Pertama",
    ),
    "BAPPEDA": ("Perencana Ahli Pertama", "Perencana Ahli Muda"),
    "BPKAD": (
        "Analis Keuangan Pusat dan Daerah Ahli Pertama",
        "Pengelola Barang Milik Daerah",
        "Pengelola Pengadaan Barang/Jasa Ahli Pertama",
    ),
    "KEC-KOTA": ("Penyuluh Sosial Ahli Pertama",),
    "KEC-UTARA": ("Penyuluh Sosial Ahli Pertama", "Polisi Pamong Praja Terampil"),
}

# The head of a unit by the first word of its name, and of a Perangkat Daerah by its kind.
HEAD_BY_UNIT_WORD: dict[str, str] = {
    "Sekretariat": "Sekretaris",
    "Bidang": "Kepala Bidang",
    "Bagian": "Kepala Bagian",
    "Seksi": "Kepala Seksi",
    "Subbagian": "Kepala Subbagian",
    "Subbidang": "Kepala Subbidang",
    "Kelurahan": "Lurah",
}
HEAD_OF_PERANGKAT_DAERAH: dict[str, str] = {
    "Sekretariat": "Sekretaris Daerah",
    "Dinas": "Kepala Dinas",
    "Badan": "Kepala Badan",
    "Kecamatan": "Camat",
    "Rumah": "Direktur",
}

# Rank (golongan) and age by kind of post. Heads of a Perangkat Daerah (JPT Pratama) retire
# at 60, everyone else here at 58. PPPK hold no structural post.
GRADES: dict[str, dict] = {
    "jpt": {"pns": ("IV/c", "IV/d"), "age": (45, 59)},
    "administrator": {"pns": ("IV/a", "IV/b"), "age": (40, 57)},
    "pengawas": {"pns": ("III/c", "III/d", "IV/a"), "age": (33, 57)},
    "ahli muda": {"pns": ("III/c", "III/d"), "pppk": ("X",), "age": (30, 57)},
    "ahli pertama": {"pns": ("III/a", "III/b"), "pppk": ("IX",), "age": (23, 57)},
    "terampil": {"pns": ("II/c", "II/d", "III/a", "III/b"), "pppk": ("VII",), "age": (21, 57)},
    "pelaksana": {
        "pns": ("II/a", "II/b", "II/c", "II/d", "III/a"),
        "pppk": ("V",),
        "age": (20, 57),
    },
}
ADMINISTRATOR_POSTS = ("Sekretaris", "Kepala Bidang", "Kepala Bagian", "Camat", "Direktur")


def flatten(tree: dict) -> list[tuple[str, str, str | None, int]]:
    """(code, name, parent_code, depth) for every unit, depth-first, parents before children.

    The root has depth 0 and parent_code None.
    """
    rows: list[tuple[str, str, str | None, int]] = []
    stack: list[tuple[dict, str | None, int]] = [(tree, None, 0)]
    while stack:
        node, parent_code, depth = stack.pop()
        rows.append((node["code"], node["name"], parent_code, depth))
        for child in reversed(node.get("children", [])):
            stack.append((child, node["code"], depth + 1))
    return rows


# --- the culture map of the demo (services/demo._choose_culture) ------------------------------
# How strongly a unit's working climate (its shift on the Likert answers) shows in what its
# people choose for "my unit today": a unit below the mean sees limiting behaviours, above it
# BerAKHLAK ones. Each unit has a few limiting habits of its own that its people name first.
CULTURE_CLIMATE_WEIGHT = 2.4
CULTURE_OWN_HABITS = 3  # limiting behaviours a unit is known for
CULTURE_HABIT_BOOST = 4.0
CULTURE_SELF_LIMITING = 0.12  # people seldom pick a limiting behaviour for themselves
CULTURE_DESIRED_LIMITING = 0.01
