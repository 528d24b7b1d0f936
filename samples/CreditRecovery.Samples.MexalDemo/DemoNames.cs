namespace CreditRecovery.Samples.MexalDemo;

/// <summary>Italian names, places and streets the demo company's customers are made of (invented combinations).</summary>
internal static class DemoNames
{
    public static readonly string[] Surnames =
    [
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
        "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
        "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola",
        "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
    ];

    public static readonly string[] FirstNames =
    [
        "Marco", "Giuseppe", "Luca", "Francesco", "Alessandro", "Andrea", "Giovanni", "Roberto", "Stefano", "Paolo", "Maria", "Anna",
        "Giulia", "Francesca", "Laura", "Elena", "Chiara", "Sara", "Valentina", "Silvia",
    ];

    public static readonly string[] Activities =
    [
        "Ferramenta", "Edilizia", "Trasporti", "Autoricambi", "Elettroforniture", "Idraulica", "Arredamenti", "Tipografia", "Carpenteria",
        "Impianti Elettrici", "Forniture Alberghiere", "Panificio", "Ottica", "Serramenti", "Colorificio", "Officina Meccanica", "Agraria",
        "Ceramiche", "Informatica", "Termoidraulica", "Distribuzione Alimentare", "Cartoleria", "Marmi", "Vivai",
    ];

    public static readonly string[] Streets =
    [
        "Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Via Cavour", "Via Dante Alighieri", "Viale della Repubblica",
        "Via Vittorio Emanuele II", "Via XX Settembre", "Piazza della Libertà", "Via dell'Industria", "Via dell'Artigianato",
        "Via Galileo Galilei", "Via Guglielmo Marconi", "Via Giacomo Matteotti", "Via Antonio Gramsci", "Via Leonardo da Vinci",
        "Via San Francesco", "Via Nazionale", "Via dei Mille", "Via Provinciale", "Via delle Industrie", "Corso Vittorio Emanuele",
    ];

    /// <summary>City, CAP, province, phone prefix, sales zone (1 north, 2 centre, 3 south), VAT office code.</summary>
    public static readonly (string City, string Cap, string Province, string Prefix, int Zone, string Office)[] Cities =
    [
        ("MILANO", "20121", "MI", "02", 1, "015"), ("TORINO", "10121", "TO", "011", 1, "001"), ("BRESCIA", "25121", "BS", "030", 1, "017"),
        ("BERGAMO", "24121", "BG", "035", 1, "016"), ("VERONA", "37121", "VR", "045", 1, "023"), ("PADOVA", "35121", "PD", "049", 1, "028"),
        ("BOLOGNA", "40121", "BO", "051", 1, "037"), ("GENOVA", "16121", "GE", "010", 1, "010"), ("TREVISO", "31100", "TV", "0422", 1, "026"),
        ("MODENA", "41121", "MO", "059", 1, "036"), ("FIRENZE", "50122", "FI", "055", 2, "048"), ("ROMA", "00184", "RM", "06", 2, "058"),
        ("PERUGIA", "06121", "PG", "075", 2, "054"), ("ANCONA", "60121", "AN", "071", 2, "042"), ("PISA", "56125", "PI", "050", 2, "050"),
        ("LATINA", "04100", "LT", "0773", 2, "059"), ("NAPOLI", "80133", "NA", "081", 3, "063"), ("BARI", "70121", "BA", "080", 3, "072"),
        ("SALERNO", "84121", "SA", "089", 3, "065"), ("LECCE", "73100", "LE", "0832", 3, "075"), ("PALERMO", "90133", "PA", "091", 3, "082"),
        ("CATANIA", "95131", "CT", "095", 3, "087"), ("CAGLIARI", "09124", "CA", "070", 3, "092"), ("PESCARA", "65121", "PE", "085", 3, "068"),
    ];

    /// <summary>An Italian VAT number: 7 digits of the company, 3 of the office, the check digit (the Luhn-like rule of the Agenzia delle Entrate).</summary>
    public static string VatNumber(Random random, string office)
    {
        var digits = random.Next(1000000, 9999999).ToString("D7", System.Globalization.CultureInfo.InvariantCulture) + office;
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var d = digits[i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return digits + ((10 - (sum % 10)) % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Lower-case letters of a name, for e-mail addresses under the reserved <c>.example</c> domain.</summary>
    public static string Slug(string name)
    {
        var letters = new string(name.ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());
        return letters.Length > 22 ? letters[..22] : letters;
    }
}
