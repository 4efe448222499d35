using System.Text.Json.Serialization;

namespace Monitor.Domain.Forces;

// The file shapes of config/forces/*.json, as written. Every member is nullable so that the loader, not the
// serializer, says what is missing, with its path.
internal sealed record ForceFile(
    string? Id, string? Name, string? TimeZone, List<AreaFile?>? Areas, ResponseFile? Response, List<MeasureFile?>? Measures, AlertsFile? Alerts = null);

internal sealed record AreaFile(string? Id, string? Name, string? Level, string? Parent, int? Population, int? Households = null);

internal sealed record ResponseFile(StandardFile? Emergency, StandardFile? Priority);

internal sealed record StandardFile(string? ClockStart, int? TargetMinutes, int? UrbanTargetMinutes);

internal sealed record MeasureFile(
    string? Id,
    string? Title,
    string? Unit,
    string? Level,
    string? Aggregation,
    FilterFile? Feed,
    FilterFile? Denominator,
    double? WithinSeconds,
    bool? WithinTarget,
    string? Direction,
    double? Target,
    string? Chart,
    List<string?>? Periods,
    string? RatePer = null);

internal sealed record AlertsFile(
    int? EmergencyWarningBeforeMinutes,
    int? PriorityWarningBeforeMinutes,
    int? CallWaitSeconds,
    int? ServiceLevelMinimumCalls,
    double? ServiceLevelClearMargin,
    int? FeedQuietMinutes,
    int? ClearHoldSeconds,
    int? MaxShelveMinutes,
    int? MaxNoteLength,
    EscalationFile? Escalation);

internal sealed record EscalationFile(EscalationTimesFile? Warning, EscalationTimesFile? Breach);

internal sealed record EscalationTimesFile(int? InspectorMinutes, int? SuperintendentMinutes);

internal sealed record FilterFile(string? Fact, string? Channel, string? Grade, string? Category, string? Marker);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ForceFile))]
internal sealed partial class ForceFileJsonContext : JsonSerializerContext;
