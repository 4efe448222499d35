namespace Monitor.Domain.Events;

/// <summary>The closed vocabularies of contract v1: national categories, not any one force's.</summary>
public static class Vocabulary
{
    public static IReadOnlySet<string> Channels { get; } = new HashSet<string>(StringComparer.Ordinal) { "999", "101" };

    public static IReadOnlySet<string> Grades { get; } = new HashSet<string>(StringComparer.Ordinal) { "emergency", "priority", "scheduled" };

    public static IReadOnlySet<string> CrimeCategories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "violence-with-injury", "violence-without-injury", "rape", "other-sexual-offences", "personal-robbery",
        "business-robbery", "residential-burglary", "business-burglary", "vehicle-offences", "bicycle-theft",
        "theft-from-person", "shoplifting", "other-theft", "criminal-damage-arson", "other-crimes-against-society",
    };

    public static IReadOnlySet<string> IncidentCategories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "anti-social-behaviour", "missing-person", "road-traffic-casualty",
    };

    public static IReadOnlySet<string> Markers { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "domestic-abuse", "hate", "child-at-risk", "cse", "cyber", "rural", "business", "alcohol",
    };
}
