using Monitor.Domain.Alerts;
using Monitor.Domain.Calls;

namespace Monitor.Domain.Tests.Alerts;

public sealed class LiveSourceTests
{
    private static readonly DateTimeOffset Now = AlertBench.Start;

    [Fact]
    public void A_999_caller_waiting_exactly_10_s_is_within_the_standard_and_longer_is_a_breach()
    {
        WaitingCall[] waiting = [new("c2", Now.AddSeconds(-4)), new("c1", Now.AddSeconds(-10))];

        var atLimit = AlertSources.CallsWaiting("warwickshire", "999", waiting, Now, AlertOptions.Default);
        var past = AlertSources.CallsWaiting("warwickshire", "999", waiting, Now.AddMilliseconds(1), AlertOptions.Default);

        Assert.Equal(AlertLevel.None, atLimit.Level);
        Assert.Equal(Now.AddMilliseconds(1), atLimit.NextCheck);
        Assert.Equal(AlertLevel.Breach, past.Level);
        Assert.Equal("warwickshire/calls-999-waiting/longest-wait", past.Key.ToString());
        Assert.Equal(10.001, past.Value!.Value, 9);
        Assert.Equal("2 999 caller(s) waiting (limit 10 s)", past.Message);
        Assert.Equal(Now.AddSeconds(-10), past.Since);
    }

    [Fact]
    public void No_caller_waiting_is_normal()
    {
        var condition = AlertSources.CallsWaiting("warwickshire", "999", [], Now, AlertOptions.Default);

        Assert.Equal(AlertLevel.None, condition.Level);
        Assert.Equal("no 999 caller waiting", condition.Message);
    }

    [Theory]
    [InlineData(89, 100, AlertLevel.None, AlertLevel.Breach)]
    [InlineData(90, 100, AlertLevel.None, AlertLevel.None)]
    [InlineData(91, 100, AlertLevel.Breach, AlertLevel.Breach)]
    [InlineData(93, 100, AlertLevel.Breach, AlertLevel.None)]
    [InlineData(0, 9, AlertLevel.None, AlertLevel.None)]
    [InlineData(0, 10, AlertLevel.None, AlertLevel.Breach)]
    public void The_last_hours_999_service_level_breaches_below_90_percent_and_clears_past_the_margin(int hits, int answered, AlertLevel current, AlertLevel expected)
    {
        var lastHour = ServiceLevel.From("calls-999-answered-10s", hits, answered, 0.9);

        var condition = AlertSources.ServiceLevel("warwickshire", lastHour, current, AlertOptions.Default);

        Assert.Equal(expected, condition.Level);
        Assert.Equal("warwickshire/calls-999-answered-10s/last-hour-below-target", condition.Key.ToString());
    }

    [Fact]
    public void The_service_level_message_gives_the_value_the_target_and_the_calls()
    {
        var condition = AlertSources.ServiceLevel("warwickshire", ServiceLevel.From("calls-999-answered-10s", 170, 200, 0.9), AlertLevel.None, AlertOptions.Default);

        Assert.Equal("calls-999-answered-10s: 85.0% in the last hour (target 90%, 200 answered)", condition.Message);
        Assert.Equal(0.85, condition.Value);
    }

    [Theory]
    [InlineData(599, AlertLevel.None)]
    [InlineData(600, AlertLevel.Warning)]
    public void A_feed_with_no_events_for_10_minutes_is_stale(int seconds, AlertLevel expected)
    {
        var condition = AlertSources.FeedQuiet("warwickshire", "telephony", Now.AddSeconds(-seconds), Now, AlertOptions.Default);

        Assert.Equal(expected, condition.Level);
        Assert.Equal("warwickshire/feed-telephony/stale", condition.Key.ToString());
        Assert.Equal(AlertSource.FeedQuiet, condition.Source);
    }

    [Fact]
    public void A_quiet_feed_says_when_it_will_go_stale_and_since_when_it_has_been_quiet()
    {
        var options = AlertOptions.Default with { FeedQuietMinutes = 5 };
        var condition = AlertSources.FeedQuiet("warwickshire", "command-and-control", Now.AddMinutes(-3), Now, options);

        Assert.Equal(Now.AddMinutes(2), condition.NextCheck);
        Assert.Equal(Now.AddMinutes(-3), condition.Since);
        Assert.Equal("feed command-and-control: events arriving", condition.Message);

        var stale = AlertSources.FeedQuiet("warwickshire", "command-and-control", Now.AddMinutes(-6), Now, options);
        Assert.Equal("feed command-and-control: no events (stale after 5 min)", stale.Message);
        Assert.Equal(Now.AddMinutes(-6), stale.Since);
    }
}
