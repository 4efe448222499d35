using System.Text.Json.Nodes;
using Monitor.Domain.Alerts;
using Monitor.Domain.Tests.Lifecycle;
using static Monitor.Domain.Tests.Forces.ForceJson;

namespace Monitor.Domain.Tests.Alerts;

public sealed class AlertConfigurationTests
{
    [Fact]
    public void A_force_file_without_an_alerts_section_takes_the_defaults()
    {
        Assert.Equal(AlertOptions.Default, Parse().Alerts);
    }

    [Fact]
    public void The_warwickshire_file_states_the_defaults_explicitly()
    {
        Assert.Equal(AlertOptions.Default, TestForces.Warwickshire().Alerts);
    }

    [Fact]
    public void The_defaults_are_the_documented_standards()
    {
        var d = AlertOptions.Default;

        Assert.Equal(
            (5, 0, 10, 10, 0.02, 10, 300, 120, 500, new EscalationTimes(15, 45), new EscalationTimes(5, 15)),
            (d.EmergencyWarningBeforeMinutes, d.PriorityWarningBeforeMinutes, d.CallWaitSeconds, d.ServiceLevelMinimumCalls, d.ServiceLevelClearMargin,
             d.FeedQuietMinutes, d.ClearHoldSeconds, d.MaxShelveMinutes, d.MaxNoteLength, d.WarningEscalation, d.BreachEscalation));
    }

    [Fact]
    public void Numbers_given_replace_their_defaults_and_the_rest_keep_theirs()
    {
        var force = Parse(t => t["alerts"] = new JsonObject
        {
            ["callWaitSeconds"] = 15,
            ["maxShelveMinutes"] = 60,
            ["escalation"] = new JsonObject { ["breach"] = new JsonObject { ["inspectorMinutes"] = 2 } },
        });

        Assert.Equal(AlertOptions.Default with { CallWaitSeconds = 15, MaxShelveMinutes = 60, BreachEscalation = new EscalationTimes(2, 15) }, force.Alerts);
    }

    [Fact]
    public void Every_bad_alert_number_is_reported_with_its_path()
    {
        var problems = Problems(t => t["alerts"] = new JsonObject
        {
            ["emergencyWarningBeforeMinutes"] = 15,
            ["priorityWarningBeforeMinutes"] = -1,
            ["callWaitSeconds"] = 0,
            ["serviceLevelClearMargin"] = 1.5,
            ["clearHoldSeconds"] = -5,
            ["maxShelveMinutes"] = 2000,
            ["escalation"] = new JsonObject { ["warning"] = new JsonObject { ["inspectorMinutes"] = 30, ["superintendentMinutes"] = 30 } },
        });

        Assert.Equal(
            [
                "x.json: $.alerts.emergencyWarningBeforeMinutes: must be a whole number of minutes from 0 (no warning) to below the shortest target (15 min), not 15",
                "x.json: $.alerts.priorityWarningBeforeMinutes: must be a whole number of minutes from 0 (no warning) to below the shortest target (60 min), not -1",
                "x.json: $.alerts.callWaitSeconds: must be a whole number from 1 to 3600, not 0",
                "x.json: $.alerts.serviceLevelClearMargin: a fraction from 0 up to (not including) 1: 0.02 for 2 points",
                "x.json: $.alerts.clearHoldSeconds: must be a whole number from 0 to 3600, not -5",
                "x.json: $.alerts.maxShelveMinutes: must be a whole number from 1 to 1440, not 2000",
                "x.json: $.alerts.escalation.warning.superintendentMinutes: the superintendent is told after the duty inspector: must be above 30, not 30",
            ],
            problems);
    }

    [Fact]
    public void An_unknown_alert_setting_is_refused_by_name()
    {
        var problems = Problems(t => t["alerts"] = new JsonObject { ["callWaitSecs"] = 10 });

        Assert.Single(problems);
        Assert.StartsWith("x.json: $.alerts", problems[0], StringComparison.Ordinal);
        Assert.Contains("callWaitSecs", problems[0], StringComparison.Ordinal);
    }
}
