using System.Globalization;
using Monitor.Domain.Alerts;

namespace Monitor.Domain.Forces;

// The optional "alerts" section: each number left out keeps its default (AlertOptions); each one given is
// checked here so a mistyped threshold stops start-up with its path rather than silently never alerting.
public static partial class ForceConfigurationLoader
{
    private static AlertOptions BuildAlerts(AlertsFile? file, ResponseStandard? emergency, ResponseStandard? priority, Problems problems)
    {
        var d = AlertOptions.Default;
        if (file is null)
        {
            return d;
        }

        const string path = "$.alerts";
        var options = new AlertOptions
        {
            EmergencyWarningBeforeMinutes = Lead(file.EmergencyWarningBeforeMinutes, d.EmergencyWarningBeforeMinutes, emergency, path + ".emergencyWarningBeforeMinutes", problems),
            PriorityWarningBeforeMinutes = Lead(file.PriorityWarningBeforeMinutes, d.PriorityWarningBeforeMinutes, priority, path + ".priorityWarningBeforeMinutes", problems),
            CallWaitSeconds = Whole(file.CallWaitSeconds, d.CallWaitSeconds, 1, 3600, path + ".callWaitSeconds", problems),
            ServiceLevelMinimumCalls = Whole(file.ServiceLevelMinimumCalls, d.ServiceLevelMinimumCalls, 1, 100_000, path + ".serviceLevelMinimumCalls", problems),
            ServiceLevelClearMargin = Margin(file.ServiceLevelClearMargin, d.ServiceLevelClearMargin, path + ".serviceLevelClearMargin", problems),
            FeedQuietMinutes = Whole(file.FeedQuietMinutes, d.FeedQuietMinutes, 1, 1440, path + ".feedQuietMinutes", problems),
            ClearHoldSeconds = Whole(file.ClearHoldSeconds, d.ClearHoldSeconds, 0, 3600, path + ".clearHoldSeconds", problems),
            MaxShelveMinutes = Whole(file.MaxShelveMinutes, d.MaxShelveMinutes, 1, 1440, path + ".maxShelveMinutes", problems),
            MaxNoteLength = Whole(file.MaxNoteLength, d.MaxNoteLength, 1, 4000, path + ".maxNoteLength", problems),
            WarningEscalation = Escalation(file.Escalation?.Warning, d.WarningEscalation, path + ".escalation.warning", problems),
            BreachEscalation = Escalation(file.Escalation?.Breach, d.BreachEscalation, path + ".escalation.breach", problems),
        };
        return options;
    }

    private static int Whole(int? value, int fallback, int min, int max, string path, Problems problems)
    {
        if (value is not { } v)
        {
            return fallback;
        }

        if (v < min || v > max)
        {
            problems.Add(path, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {min} to {max}, not {v}"));
        }

        return v;
    }

    /// <summary>A warning lead must leave the warning before the breach, for the standard's every target (urban too).</summary>
    private static int Lead(int? value, int fallback, ResponseStandard? standard, string path, Problems problems)
    {
        if (value is not { } v)
        {
            return fallback;
        }

        var shortest = standard is null ? int.MaxValue : Math.Min(standard.TargetMinutes, standard.UrbanTargetMinutes ?? int.MaxValue);
        if (v < 0 || v >= shortest)
        {
            problems.Add(path, string.Create(
                CultureInfo.InvariantCulture,
                $"must be a whole number of minutes from 0 (no warning) to below the shortest target ({shortest} min), not {v}"));
        }

        return v;
    }

    private static double Margin(double? value, double fallback, string path, Problems problems)
    {
        if (value is not { } v)
        {
            return fallback;
        }

        if (double.IsNaN(v) || v < 0 || v >= 1)
        {
            problems.Add(path, "a fraction from 0 up to (not including) 1: 0.02 for 2 points");
        }

        return v;
    }

    private static EscalationTimes Escalation(EscalationTimesFile? file, EscalationTimes fallback, string path, Problems problems)
    {
        if (file is null)
        {
            return fallback;
        }

        var inspector = Whole(file.InspectorMinutes, fallback.InspectorMinutes, 1, 1440, path + ".inspectorMinutes", problems);
        var superintendent = Whole(file.SuperintendentMinutes, fallback.SuperintendentMinutes, 1, 1440, path + ".superintendentMinutes", problems);
        if (superintendent <= inspector)
        {
            problems.Add(path + ".superintendentMinutes", string.Create(
                CultureInfo.InvariantCulture,
                $"the superintendent is told after the duty inspector: must be above {inspector}, not {superintendent}"));
        }

        return new EscalationTimes(inspector, superintendent);
    }
}
