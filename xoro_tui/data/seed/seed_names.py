"""Word lists for generated data: names, companies, places, lookups.

Long lists are kept as whitespace-separated strings so that the module stays readable;
``_w`` splits them. Multi-word entries use ``_`` for their inner spaces.
"""

from __future__ import annotations

from dataclasses import dataclass


def _w(text: str) -> tuple[str, ...]:
    return tuple(word.replace("_", " ") for word in text.split())


FIRST_NAMES = _w("""
James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard
Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark
Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle
Kevin Carol Brian Amanda George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason
Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan
Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel
Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack
Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth José Julie Adam Olivia Henry Joyce
Nathan Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Noah Joan Ethan Evelyn
Jeremy Judith Walter Megan Christian Andrea Keith Cheryl Roger Hannah Terry Jacqueline Austin
Martha Sean Gloria Gerald Teresa Carl Harold Sara Dylan Madison Arthur Frances Lawrence
Kathryn Jordan Janice Jesse Jean Bryan Abigail Alice Bruce Judy Gabriel Sophia Grace Logan
Denise Albert Amber Alan Marilyn Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Diana
Vincent Natalie Ralph Brittany Eugene Charlotte Russell Marie Mason Alexis Philip Lori François
Hélène Jürgen Björn Søren Zoë Renée Chloé Mónica Iñaki Łukasz Małgorzata Ana Lars Ingrid Sven
Astrid Pierre Amélie Luca Giulia Matteo Sofia Hans Greta Klaus Anneliese Pablo Lucía Álvaro Inés
Dmitri Oksana Aoife Siobhán Seán Niamh Kenji Yuki Hiroshi Wei Mei Ravi Priya Ahmed Fatima Olu
Chidi Kwame Ngozi Mateus Joana Thiago Beatriz Émile Margaux Nikos Eleni Agnieszka Tomasz Jiří
Zuzana Ülkü Mehmet Ayşe Fredrik Maja Ólafur Sigríður Kasper Freja Anders Linnea Declan Ciara
""")

LAST_NAMES = _w("""
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Schmidt Schneider Fischer Weber
Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann
Braun Krüger Hartmann Lange Dubois Lefèvre Moreau Laurent Simon Michel Leroy Roux Bertrand Morel
Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Murphy Kelly O'Sullivan Walsh O'Brien
Byrne Ryan O'Connor O'Neill Ó_Súilleabháin Andersson Johansson Karlsson Nilsson Eriksson Larsson
Olsson Persson Svensson Gustafsson Åberg Öberg Lindström Sato Suzuki Takahashi Tanaka Watanabe
Ito Yamamoto Nakamura Kobayashi Kato Papadopoulos Georgiou Nikolaidis Rossi Russo Ferrari
Esposito Bianchi Romano Colombo Kowalski Wiśniewski Wójcik Kowalczyk Nowak Fernández Rodríguez
Martínez Sánchez Pérez Gómez Jiménez Ruiz Díaz Moreno Muñoz Álvarez Romero van_der_Berg de_Vries
Jansen Bakker Visser Smit Meijer Patel Singh Kumar Shah Chen Wang Li Zhang Liu Yang Huang Zhao
Wu Zhou Kim Park Choi Okafor Mensah Haddad Novák Dvořák Yılmaz Kaya Hansen Pedersen Sørensen
Jónsson Virtanen Korhonen Silva Santos Ferreira Costa Oliveira Cohen Levi Friedman MacDonald
Fraser Stewart Morrison Reid Hughes Evans Price Griffiths Morgan Llewellyn
""")

COMPANY_WORDS = _w("""
Apex Summit Northwind Blue Red Silver Golden Pacific Atlantic Coastal Prairie Harbor Pioneer
Frontier Evergreen Oak Maple Cedar Pine Willow Birch Granite Iron Copper Crystal Diamond Eagle
Falcon Hawk Lion Tiger Bear Fox Phoenix Orion Atlas Titan Nova Stellar Quantum Vector Vertex
Zenith Horizon Meridian Crescent Keystone Cornerstone Landmark Heritage Legacy Liberty Patriot
Allied Global National Premier Prime Royal Imperial Regal Crown Sterling Noble Trinity Unity
Vista Valley Ridge Canyon River Lake Ocean Bay Island Mountain Alpine Arctic Polar Tropic Solar
Lunar Sky Cloud Storm Thunder Ember Spark Bright Clear Pure Fresh Swift Rapid Express Metro
Urban Rural Village Capital Central Western Eastern Northern Southern Midland Highland Brook
Stone Rock Sand Clay Timber Forest Meadow Field Garden Orchard Vine Rose Lily Ivy Sage Mint
Ivory Ebony Onyx Jade Ruby Sapphire Emerald Pearl Coral Indigo Violet Scarlet Azure Cobalt
Crimson Nordlicht Bergmann Schwarzwald Rheintal Elbe Alster Isar Étoile Lumière Provence
Bretagne Normandie Côte Soleil Océan Fjäll Norrsken Skog Sakura Fuji Hikari Midori Tamsin
Brightwater Kingfisher Larkspur Thistle Heather Bramble Hawthorn Juniper Saffron Cinnamon
Marigold Bluebell Foxglove Riverside Lakeside Hillside Seaside Westbrook Eastgate Northgate
Southfield Ashford Bradford Chester Dorset Essex Kent Surrey Sussex Wessex Mercia Cambria
Caledonia Hibernia Avalon Camelot Olympus Delta Sigma Omega Alpha Beta Gamma Kappa Lambda
Boreal Tundra Savanna Sierra Mesa Pueblo Bayou Cascade Rainier Shasta Tahoe Sonoma Napa Yukon
Klondike Acadia Laurentian Huron Erie Ontario Superior Niagara Hudson Potomac Shenandoah
Monarch Sovereign Regent Viceroy Baron Duke Marquis Consul Senator Pilot Navigator Voyager
Explorer Ranger Scout Mariner Anchor Beacon Lighthouse Compass Sextant Keel Harborside
""")

COMPANY_NOUNS = _w("""
Trading Logistics Foods Supplies Industries Systems Solutions Technologies Holdings Partners
Group Enterprises Manufacturing Electronics Textiles Motors Builders Construction Engineering
Consulting Design Media Labs Pharma Health Medical Dental Farms Organics Bakery Brewing Coffee
Wines Hardware Tools Plastics Metals Steel Paper Print Packaging Furniture Interiors Outfitters
Apparel Fashion Sports Marine Aviation Energy Power Water Environmental Security Networks
Software Data Analytics Imports Exports Distribution Wholesale Retail Markets Stores Boutique
Studios Ventures Realty Properties Freight Shipping Chemicals Optics Instruments Components
""")

FREEMAIL = _w(
    "gmail.com outlook.com yahoo.com hotmail.com icloud.com proton.me gmx.de web.de orange.fr free.fr"
)
EMAIL_ROLES = _w("accounts billing info orders ap finance office sales purchasing admin")

CUSTOMER_TYPES = _w("Retail Wholesale Distributor Online Government Education Non-profit Trade")
SALES_REPS = _w("""Alice_Morgan Ben_Carter Chloe_Dubois Dan_Okafor Elena_Rossi Felix_Wagner Grace_Kim
Hiro_Tanaka Isla_Murphy Jonas_Berg Kavya_Patel Liam_O'Connor""")
PAYMENT_TERMS = _w("Due_on_receipt Net_15 Net_30 Net_45 Net_60 2%_10_Net_30 COD")
TERM_DAYS = {"Due on receipt": 0, "Net 15": 15, "Net 30": 30, "Net 45": 45, "Net 60": 60,
             "2% 10 Net 30": 30, "COD": 0}  # fmt: skip
CUSTOMER_GROUPS = _w(
    "Key_Accounts Regional Export Domestic Partners Prospects Online_Only Public_Sector"
)
ORDER_TYPES = _w("Standard Drop_Ship Back_Order Consignment Sample Rush")
SHIPPING_TERMS = _w("FOB_Origin FOB_Destination EXW DAP DDP CIF")
DEFAULT_PAYMENT_METHODS = _w("Cheque ACH Credit_Card Bank_Transfer Cash PayPal Direct_Debit")
TAGS = _w("""VIP Tax_Exempt Net_Terms Trade_Show Newsletter Slow_Payer Priority Reseller Seasonal
Key_Account Credit_Hold Marketing_Opt-in Paper_Invoices EDI Dropship Loyalty""")
BRANDS = _w(
    "Northwind Contoso Fabrikam Tailspin Litware Adventure_Works Wingtip Proseware Lucerne Coho"
)
CARD_BRANDS = _w("Visa Visa Visa Mastercard Mastercard American_Express Discover JCB")
CREATED_BY = _w("jsmith mlopez akim tnguyen rpatel ebrown sobrien")
APPROVERS = _w("mchen dgarcia lwilson kmueller")
STREETS = _w("""Main_Street Oak_Avenue Park_Road High_Street Market_Street Station_Road Church_Lane
Mill_Road King_Street Queen_Street Bridge_Street Harbour_Road Elm_Drive Cedar_Court Lake_View""")
LINE2 = _w("Suite_100 Suite_200 Unit_4 Floor_3 Building_B Apt_12 PO_Box_55 Dock_7")
SITE_NAMES = _w("Warehouse Branch_Office Distribution_Centre Store Plant Showroom Depot")
PRODUCTS = (("WID-100", "Blue widget", 1250), ("WID-200", "Red widget", 1475),
            ("GAD-310", "Gadget, large", 8900), ("GAD-320", "Gadget, small", 4200),
            ("SVC-001", "Installation service", 15000), ("SVC-002", "Annual support", 48000),
            ("PRT-050", "Spare part kit", 2399), ("CBL-005", "Cable, 5 m", 899),
            ("TNR-900", "Toner cartridge", 6450), ("PAP-A4", "Paper, A4 box", 3199),
            ("CHR-ERG", "Ergonomic chair", 29900), ("DSK-160", "Desk, 160 cm", 41900))  # fmt: skip
REFUND_MEMOS = _w("""Returned_goods Overpayment Cancelled_order Duplicate_payment Damaged_in_transit
Price_adjustment Deposit_returned Service_not_delivered Goodwill_gesture Billing_error""")
VOID_REASONS = _w("""Cheque_lost_in_the_post Issued_in_error Customer_cancelled_the_request
Wrong_amount Wrong_payee Replaced_by_a_new_cheque""")

# Non-Latin names: (native, romanised for the e-mail address).
GREEK = (("Γιώργος Παπαδόπουλος", "g.papadopoulos"), ("Ελένη Νικολάου", "e.nikolaou"),
         ("Νίκος Γεωργίου", "n.georgiou"), ("Μαρία Κωνσταντίνου", "m.konstantinou"),
         ("Ολυμπιακή Εμπορική ΑΕ", "olympiaki"), ("Αιγαίο Τρόφιμα ΕΠΕ", "aigaio"),
         ("Ερμής Logistics ΑΕ", "ermis"), ("Ακρόπολις Ενέργεια ΑΕ", "akropolis"))  # fmt: skip
CYRILLIC = (("Иван Петров", "i.petrov"), ("Мария Иванова", "m.ivanova"),
            ("Георги Димитров", "g.dimitrov"), ("Елена Стоянова", "e.stoyanova"),
            ("Техномаркет ООД", "technomarket"), ("Балкан Транс ЕООД", "balkantrans"),
            ("Родопа Фудс АД", "rodopafoods"), ("Витоша Строй ООД", "vitoshastroy"))  # fmt: skip
JAPANESE = (("山田 太郎", "t.yamada"), ("佐藤 花子", "h.sato"), ("鈴木 一郎", "i.suzuki"),
            ("株式会社山田商事", "yamada-shoji"), ("東京精密工業株式会社", "tokyo-seimitsu"),
            ("さくら物産株式会社", "sakura-bussan"), ("大阪ロジスティクス株式会社", "osaka-logi"),
            ("富士テクノ株式会社", "fuji-techno"))  # fmt: skip
CHINESE = (("王伟", "wang.wei"), ("李娜", "li.na"), ("张敏", "zhang.min"),
           ("上海华东贸易有限公司", "huadong-trade"), ("深圳创新科技有限公司", "sz-innovate"),
           ("北京长城电子有限公司", "changcheng"), ("广州南方物流有限公司", "nanfang-wl"),
           ("杭州西湖茶业有限公司", "xihu-tea"))  # fmt: skip


@dataclass(frozen=True)
class Country:
    """Addresses, phones and names as they look in one country.

    Postal and phone patterns: ``#`` is a digit, ``@`` a letter; everything else is kept.
    """

    code: str
    name: str
    weight: int
    currency: str
    suffixes: tuple[str, ...]
    phones: tuple[str, ...]
    cities: tuple[tuple[str, str | None, str], ...]
    tld: str
    street_first: bool = False  # "Hauptstraße 12" rather than "12 Main Street"
    script: tuple[tuple[str, str], ...] = ()  # native-script names used for a share
    script_share: float = 0.0
    streets: tuple[str, ...] = STREETS


COUNTRIES: tuple[Country, ...] = (
    Country("US", "United States", 520, "USD", _w("Inc LLC Corp Co."),
            ("+1 2##-555-####", "+1 (3##) 555-####", "(4##) 555-####", "+1 7## 555 #### x##"),
            (("New York", "NY", "100##"), ("Brooklyn", "NY", "112##"), ("Chicago", "IL", "606##"),
             ("Austin", "TX", "787##"), ("Houston", "TX", "770##"), ("Seattle", "WA", "981##"),
             ("Denver", "CO", "802##"), ("Boston", "MA", "021##"), ("San Francisco", "CA", "941##"),
             ("Los Angeles", "CA", "900##"), ("Miami", "FL", "331##"), ("Atlanta", "GA", "303##"),
             ("Portland", "OR", "972##"), ("Phoenix", "AZ", "850##"), ("Nashville", "TN", "372##")),
            "com"),
    Country("CA", "Canada", 70, "CAD", _w("Inc Ltd Corp"), ("+1 4##-555-####", "+1 (6##) 555-####"),
            (("Toronto", "ON", "M5V #@#"), ("Vancouver", "BC", "V6B #@#"),
             ("Montréal", "QC", "H2X #@#"), ("Calgary", "AB", "T2P #@#"),
             ("Ottawa", "ON", "K1P #@#"), ("Halifax", "NS", "B3J #@#")), "ca"),
    Country("GB", "United Kingdom", 110, "GBP", _w("Ltd Ltd Ltd PLC LLP"),
            ("+44 20 7### ####", "+44 113 ### ####", "020 7### ####", "+44 161 ### ####"),
            (("London", None, "SW1A #@@"), ("London", None, "EC2R #@@"), ("Leeds", "West Yorkshire", "LS1 #@@"),
             ("Manchester", None, "M1 #@@"), ("Birmingham", None, "B1 #@@"), ("Edinburgh", None, "EH1 #@@"),
             ("Glasgow", None, "G2 #@@"), ("Cardiff", None, "CF10 #@@"), ("Bristol", None, "BS1 #@@")),
            "co.uk"),
    Country("IE", "Ireland", 30, "EUR", _w("Ltd Ltd DAC"), ("+353 1 ### ####", "+353 21 ### ####", "01 ### ####"),
            (("Dublin", "Co. Dublin", "D02 @#@#"), ("Dublin", "Co. Dublin", "D08 @###"),
             ("Cork", "Co. Cork", "T12 @#@@"), ("Galway", "Co. Galway", "H91 @#@#"),
             ("Limerick", "Co. Limerick", "V94 @###")), "ie"),
    Country("DE", "Germany", 70, "EUR", _w("GmbH GmbH AG KG"), ("+49 30 ########", "+49 89 #######", "+49 (0)40 #######"),
            (("Berlin", "Berlin", "101##"), ("München", "Bayern", "803##"), ("Hamburg", "Hamburg", "200##"),
             ("Köln", "Nordrhein-Westfalen", "506##"), ("Frankfurt am Main", "Hessen", "603##"),
             ("Stuttgart", "Baden-Württemberg", "701##"), ("Düsseldorf", "Nordrhein-Westfalen", "402##"),
             ("Leipzig", "Sachsen", "041##")), "de", street_first=True,
            streets=_w("Hauptstraße Bahnhofstraße Gartenweg Schillerstraße Goethestraße Lindenallee")),
    Country("FR", "France", 50, "EUR", _w("SARL SA SAS"), ("+33 1 ## ## ## ##", "+33 4 ## ## ## ##", "01 ## ## ## ##"),
            (("Paris", "Île-de-France", "7500#"), ("Lyon", "Auvergne-Rhône-Alpes", "6900#"),
             ("Marseille", "Provence-Alpes-Côte d'Azur", "1300#"), ("Toulouse", "Occitanie", "3100#"),
             ("Bordeaux", "Nouvelle-Aquitaine", "3300#"), ("Lille", "Hauts-de-France", "5900#"),
             ("Nantes", "Pays de la Loire", "4400#")), "fr",
            streets=_w("rue_de_Rivoli avenue_Victor_Hugo rue_de_la_République boulevard_Haussmann quai_des_Célestins")),
    Country("GR", "Greece", 25, "EUR", _w("AE EPE IKE"), ("+30 210 ### ####", "+30 2310 ######"),
            (("Athens", "Attica", "114 ##"), ("Athens", "Attica", "105 ##"),
             ("Thessaloniki", "Central Macedonia", "546 ##"), ("Patras", "Western Greece", "262 ##"),
             ("Heraklion", "Crete", "712 ##")), "gr", street_first=True,
            streets=_w("Ermou Stadiou Panepistimiou Tsimiski Egnatia"), script=GREEK, script_share=0.35),
    Country("JP", "Japan", 30, "JPY", _w("KK KK GK"), ("+81 3-####-####", "+81 6-####-####", "03-####-####"),
            (("Chiyoda-ku, Tokyo", "Tokyo", "100-0###"), ("Shibuya-ku, Tokyo", "Tokyo", "150-00##"),
             ("Osaka", "Osaka", "530-00##"), ("Yokohama", "Kanagawa", "220-00##"),
             ("Nagoya", "Aichi", "450-00##"), ("Kyoto", "Kyoto", "600-8###")), "co.jp",
            streets=_w("1-chome_Marunouchi 2-chome_Umeda 3-chome_Shibuya 4-chome_Sakae"),
            script=JAPANESE, script_share=0.4),
    Country("SE", "Sweden", 30, "SEK", _w("AB AB HB"), ("+46 8 ### ### ##", "+46 31 ### ## ##", "08-### ### ##"),
            (("Stockholm", None, "111 ##"), ("Göteborg", None, "411 ##"), ("Malmö", None, "211 ##"),
             ("Uppsala", None, "753 ##")), "se", street_first=True,
            streets=_w("Drottninggatan Storgatan Kungsgatan Vasagatan Östra_Hamngatan")),
    Country("NL", "Netherlands", 25, "EUR", _w("BV BV NV"), ("+31 20 ### ####", "+31 10 ### ####", "020-### ####"),
            (("Amsterdam", "Noord-Holland", "1012 @@"), ("Rotterdam", "Zuid-Holland", "3011 @@"),
             ("Utrecht", "Utrecht", "3511 @@"), ("Den Haag", "Zuid-Holland", "2511 @@")), "nl",
            street_first=True, streets=_w("Damrak Kalverstraat Coolsingel Oudegracht Lange_Voorhout")),
    Country("CN", "China", 20, "USD", _w("Co.,_Ltd. Ltd"), ("+86 21 #### ####", "+86 10 #### ####", "+86 755 #### ####"),
            (("Shanghai", "Shanghai", "2000##"), ("Beijing", "Beijing", "1000##"),
             ("Shenzhen", "Guangdong", "5180##"), ("Guangzhou", "Guangdong", "5100##")), "cn",
            streets=_w("Nanjing_Road Huaihai_Road Chang'an_Avenue Shennan_Boulevard"),
            script=CHINESE, script_share=0.5),
    Country("BG", "Bulgaria", 20, "USD", _w("OOD EOOD AD"), ("+359 2 ### ####", "+359 52 ### ###"),
            (("Sofia", "Sofia City", "1###"), ("Plovdiv", "Plovdiv", "4###"), ("Varna", "Varna", "9###")),
            "bg", street_first=True, streets=_w("Vitosha_Blvd Tsar_Osvoboditel_Blvd Rakovski_St"),
            script=CYRILLIC, script_share=0.5),
)  # fmt: skip
