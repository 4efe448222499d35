namespace Monitor.Tests.Shared;

/// <summary>
/// The force's 2017 Q3 performance summary as figures (warwickshire-2017-q3.json beside this file: a copy of
/// shared/reference, checked in so that a clean clone tests against it), and its names in the force file's words.
/// Linked into every test project that checks the monitor against the report.
/// </summary>
public static class ForceReportReference
{
    public const string Force = "warwickshire";

    /// <summary>The copy beside the test assembly.</summary>
    public static string File => Path.Combine(AppContext.BaseDirectory, "Reference", "warwickshire-2017-q3.json");

    /// <summary>The district table's columns: the force, then its districts.</summary>
    public static readonly IReadOnlyDictionary<string, string> Districts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Warwickshire"] = Force,
        ["North Warks District"] = "north-warwickshire",
        ["Nuntn & Bedwt District"] = "nuneaton-bedworth",
        ["Rugby District"] = "rugby",
        ["Stratford District"] = "stratford",
        ["Warwick District"] = "warwick",
    };

    /// <summary>The district table's crime categories.</summary>
    public static readonly IReadOnlyDictionary<string, string> CategoryRows = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Violence With Injury"] = "violence-with-injury",
        ["Violence Without Injury"] = "violence-without-injury",
        ["Rape"] = "rape",
        ["Other Sexual Offences"] = "other-sexual-offences",
        ["Personal Robbery"] = "personal-robbery",
        ["Business Robbery"] = "business-robbery",
        ["Residential Burg - Dwelling"] = "residential-burglary",
        ["Burg Bus. Comm (inc. non dwell)"] = "business-burglary",
        ["Vehicle Offences"] = "vehicle-offences",
        ["Bicycle Theft"] = "bicycle-theft",
        ["Theft from Person"] = "theft-from-person",
        ["Shoplifting"] = "shoplifting",
        ["All Other Theft Offences"] = "other-theft",
        ["Criminal Damage & Arson"] = "criminal-damage-arson",
        ["Other Crimes Against Society"] = "other-crimes-against-society",
    };

    /// <summary>Every row of the district table: the categories, then all crime.</summary>
    public static readonly IReadOnlyDictionary<string, string> Rows =
        CategoryRows.Append(new KeyValuePair<string, string>("Total Recorded Crime", "total-recorded-crime")).ToDictionary(StringComparer.Ordinal);
}
