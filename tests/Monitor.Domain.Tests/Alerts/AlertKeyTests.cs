using Monitor.Domain.Alerts;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Alerts;

public sealed class AlertKeyTests
{
    [Fact]
    public void Keys_name_area_measure_and_rule_for_every_source()
    {
        Assert.Equal("rugby/residential-burglary/week.run-warning", AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Week, EventKind.RunWarning).ToString());
        Assert.Equal("rugby/incident-INC-1/unattended", AlertKey.ForIncident("rugby", "INC-1").ToString());
        Assert.Equal("warwickshire/calls-999-waiting/longest-wait", AlertKey.ForCallsWaiting("warwickshire", "999").ToString());
        Assert.Equal("warwickshire/feed-telephony/stale", AlertKey.ForFeed("warwickshire", "telephony").ToString());
    }

    [Fact]
    public void A_free_text_incident_id_cannot_split_the_key_or_the_alert_id_and_both_read_back()
    {
        var key = AlertKey.ForIncident("rugby", "WK/2026:17 b");

        Assert.Equal("rugby/incident-WK%2F2026%3A17%20b/unattended", key.ToString());
        Assert.Equal("rugby:incident-WK%2F2026%3A17%20b:unattended:3", key.AlertId(3));
        Assert.Equal(key, AlertKey.Parse(key.ToString()));
        Assert.True(AlertKey.TryParseAlertId(key.AlertId(3), out var back, out var sequence));
        Assert.Equal((key, 3), (back, sequence));
    }

    [Fact]
    public void An_incident_keys_incident_reads_back_and_no_other_key_names_one()
    {
        Assert.Equal("WK/2026:17 b", AlertKey.ForIncident("rugby", "WK/2026:17 b").IncidentId);
        Assert.Equal("INC-1", AlertKey.Parse(AlertKey.ForIncident("rugby", "INC-1").ToString())!.IncidentId);
        Assert.Null(AlertKey.ForCallsWaiting("warwickshire", "999").IncidentId);
        Assert.Null(AlertKey.ForFeed("warwickshire", "telephony").IncidentId);
        Assert.Null(new AlertKey("rugby", "incident-INC-1", "week.run-warning").IncidentId);
    }

    [Theory]
    [InlineData("rugby:x:y")]
    [InlineData("rugby:x:y:0")]
    [InlineData("rugby:x:y:-1")]
    [InlineData("rugby::y:1")]
    [InlineData("rugby:x:y:1:2")]
    public void A_malformed_alert_id_is_not_read(string id) =>
        Assert.False(AlertKey.TryParseAlertId(id, out _, out _));

    [Fact]
    public void No_id_at_all_is_not_read_rather_than_thrown_on() =>
        Assert.False(AlertKey.TryParseAlertId(null, out _, out _));

    [Fact]
    public void A_malformed_key_is_not_read()
    {
        Assert.Null(AlertKey.Parse("rugby/x"));
        Assert.Null(AlertKey.Parse("rugby//y"));
    }
}
