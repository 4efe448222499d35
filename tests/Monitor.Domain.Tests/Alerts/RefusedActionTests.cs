using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class RefusedActionTests
{
    private const string Id = "rugby:residential-burglary:month.beyond-upper:1";
    private static readonly AlertKey Key = new("rugby", "residential-burglary", "month.beyond-upper");

    /// <summary>The alert in each state an action can be refused in.</summary>
    public static TheoryData<string, string> Refusals => new()
    {
        { "unacknowledged", "shelve" },
        { "unacknowledged", "acknowledge-without-note" },
        { "unacknowledged", "acknowledge-blank-note" },
        { "unacknowledged", "acknowledge-long-note" },
        { "unacknowledged", "acknowledge-as-inspector" },
        { "unacknowledged", "acknowledge-as-wallboard" },
        { "unacknowledged", "acknowledge-unnamed" },
        { "unacknowledged", "acknowledge-unknown-id" },
        { "unacknowledged", "resolve-without-note" },
        { "acknowledged", "acknowledge-again" },
        { "acknowledged", "shelve-too-long" },
        { "acknowledged", "shelve-zero" },
        { "acknowledged", "shelve-without-note" },
        { "acknowledged", "shelve-as-inspector" },
        { "shelved", "shelve-again" },
        { "shelved", "acknowledge-shelved" },
        { "returned", "shelve-returned" },
        { "resolved", "acknowledge-resolved" },
        { "resolved", "shelve-resolved" },
        { "resolved", "resolve-resolved" },
        { "superseded", "acknowledge-old-id" },
        { "superseded", "acknowledge-future-id" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_action_gives_its_reason_and_changes_nothing(string state, string action)
    {
        var bench = InState(state);
        var before = bench.Snapshot();

        var outcome = Act(bench, action);

        Assert.True(outcome.Refused);
        Assert.Equal(Expected(action), outcome.Refusal);
        Assert.False(outcome.Changed);
        Assert.Empty(outcome.Audit);
        Assert.Equal(before, bench.Snapshot());
    }

    [Fact]
    public void A_note_at_the_length_limit_is_accepted_and_one_past_it_refused()
    {
        var bench = InState("unacknowledged");

        Assert.True(bench.Acknowledge(new string('x', 501)).Refused);
        Assert.False(bench.Acknowledge(" " + new string('x', 500) + " ").Refused);
    }

    [Theory]
    [InlineData("bell\u0007", "a control character (U+0007 at character 5)")]
    [InlineData("carriage\rreturn", "a control character (U+000D at character 9)")]
    [InlineData("c1 \u0085 next line", "a control character (U+0085 at character 4)")]
    [InlineData("escape \u001b[31m red", "a control character (U+001B at character 8)")]
    [InlineData("ok \u202e gnp.exe", "a bidirectional control character (U+202E at character 4)")]
    [InlineData("\u202aembedded", "a bidirectional control character (U+202A at character 1)")]
    [InlineData("isolate \u2066x\u2069", "a bidirectional control character (U+2066 at character 9)")]
    [InlineData("pop \u2069", "a bidirectional control character (U+2069 at character 5)")]
    public void A_note_holding_a_control_bidi_or_broken_character_is_refused_and_changes_nothing(string note, string problem)
    {
        foreach (var state in new[] { "unacknowledged", "acknowledged" })
        {
            var bench = InState(state);
            var before = bench.Snapshot();

            var outcome = state == "unacknowledged" ? bench.Acknowledge(note) : bench.Shelve(note: note);

            Assert.Equal($"the note holds {problem}; write it as plain text", outcome.Refusal);
            Assert.False(outcome.Changed);
            Assert.Empty(outcome.Audit);
            Assert.Equal(before, bench.Snapshot());
        }

        Assert.Equal($"the note holds {problem}; write it as plain text", InState("unacknowledged").Resolve(note).Refusal);
    }

    [Fact]
    public void A_note_holding_half_a_surrogate_pair_is_refused()
    {
        // Built here, not in [InlineData]: the theory's data would be re-encoded on the way and lose the half pair.
        var high = "half " + '\ud83d' + " pair";
        var low = "low " + '\ude00' + '\ud83d' + " reversed";

        Assert.Equal("the note holds half a surrogate pair (U+D83D at character 6); write it as plain text", InState("unacknowledged").Acknowledge(high).Refusal);
        Assert.Equal("the note holds half a surrogate pair (U+DE00 at character 5); write it as plain text", InState("unacknowledged").Acknowledge(low).Refusal);
        Assert.Equal("the note holds half a surrogate pair (U+D83D at character 6); write it as plain text", InState("unacknowledged").Acknowledge("ends " + '\ud83d').Refusal);
    }

    [Fact]
    public void A_note_over_several_lines_with_tabs_and_paired_surrogates_is_accepted()
    {
        var bench = InState("unacknowledged");

        var outcome = bench.Acknowledge("Unit 4:\tETA 3 min\nUnit 7:\tstood down \ud83d\ude93 (\u05e9\u05dc\u05d5\u05dd)");

        Assert.False(outcome.Refused);
        Assert.Equal("Unit 4:\tETA 3 min\nUnit 7:\tstood down \ud83d\ude93 (\u05e9\u05dc\u05d5\u05dd)", outcome.Alert!.Notes[^1].Text);
    }

    [Fact]
    public void An_earlier_alert_of_the_key_is_known_to_the_track_and_a_later_or_other_one_is_not()
    {
        var bench = InState("superseded");

        Assert.True(bench.Track.Knows(Id));
        Assert.True(bench.Track.Knows("rugby:residential-burglary:month.beyond-upper:2"));
        Assert.False(bench.Track.Knows("rugby:residential-burglary:month.beyond-upper:3"));
        Assert.False(bench.Track.Knows("rugby:shoplifting:month.beyond-upper:1"));
        Assert.False(bench.Track.Knows(null));
    }

    private static AlertBench InState(string state)
    {
        var bench = new AlertBench(Key);
        bench.Observe(AlertLevel.Warning);
        switch (state)
        {
            case "acknowledged":
                bench.Acknowledge();
                break;
            case "shelved":
                bench.Acknowledge();
                bench.Shelve(30);
                break;
            case "returned":
                bench.Observe(AlertLevel.None);
                break;
            case "resolved":
                bench.Acknowledge();
                bench.Observe(AlertLevel.None);
                break;
            case "superseded":
                bench.Acknowledge();
                bench.Observe(AlertLevel.None);
                bench.Observe(AlertLevel.Warning);
                break;
            default:
                break;
        }

        bench.Advance(TimeSpan.FromMinutes(1));
        bench.Tick();
        return bench;
    }

    private static AlertOutcome Act(AlertBench bench, string action) => action switch
    {
        "shelve" or "shelve-again" or "shelve-returned" or "shelve-resolved" => bench.Shelve(alertId: Id),
        "acknowledge-without-note" => bench.Track.Acknowledge(Id, "Sgt Patel", AlertRoles.Supervisor, null, bench.Now, bench.Options),
        "acknowledge-blank-note" => bench.Acknowledge(" \t\n "),
        "acknowledge-long-note" => bench.Acknowledge(new string('x', 501)),
        "acknowledge-as-inspector" => bench.Acknowledge(role: "inspector"),
        "acknowledge-as-wallboard" => bench.Acknowledge(role: "wallboard"),
        "acknowledge-unnamed" => bench.Acknowledge(who: "  "),
        "acknowledge-unknown-id" => bench.Acknowledge(alertId: "rugby:shoplifting:month.beyond-upper:1"),
        "resolve-without-note" => bench.Resolve(note: ""),
        "acknowledge-again" or "acknowledge-shelved" or "acknowledge-resolved" or "acknowledge-old-id" => bench.Acknowledge(alertId: Id),
        "shelve-too-long" => bench.Shelve(121),
        "shelve-zero" => bench.Shelve(0),
        "shelve-without-note" => bench.Shelve(note: "   "),
        "shelve-as-inspector" => bench.Shelve(role: "inspector"),
        "resolve-resolved" => bench.Resolve(alertId: Id),
        "acknowledge-future-id" => bench.Acknowledge(alertId: "rugby:residential-burglary:month.beyond-upper:3"),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static string Expected(string action) => action switch
    {
        "shelve" => $"alert {Id} must be acknowledged before it can be shelved",
        "acknowledge-without-note" or "acknowledge-blank-note" or "resolve-without-note" or "shelve-without-note" => "a note is required",
        "acknowledge-long-note" => "the note is 501 characters; at most 500 are allowed",
        "acknowledge-as-inspector" or "shelve-as-inspector" => "only a supervisor may act on alerts (role: 'inspector')",
        "acknowledge-as-wallboard" => "only a supervisor may act on alerts (role: 'wallboard')",
        "acknowledge-unnamed" => "the person acting must be named",
        "acknowledge-unknown-id" => "alert rugby:shoplifting:month.beyond-upper:1 does not exist",
        "acknowledge-again" => $"alert {Id} is already acknowledged (by Sgt Patel)",
        "shelve-too-long" => "an alert is shelved for 1 to 120 minutes, not 121",
        "shelve-zero" => "an alert is shelved for 1 to 120 minutes, not 0",
        "shelve-again" => $"alert {Id} is already shelved until 2026-11-25T20:30:00.0000000+00:00",
        "acknowledge-shelved" => $"alert {Id} is shelved, so already acknowledged",
        "shelve-returned" => $"alert {Id} has returned to normal: acknowledge it instead of shelving it",
        "acknowledge-resolved" => $"alert {Id} is resolved: there is nothing to acknowledge",
        "shelve-resolved" => $"alert {Id} is resolved: there is nothing to shelve",
        "resolve-resolved" => $"alert {Id} is already resolved",
        "acknowledge-old-id" => $"alert {Id} is resolved (the current alert of rugby/residential-burglary/month.beyond-upper is rugby:residential-burglary:month.beyond-upper:2)",
        "acknowledge-future-id" => "alert rugby:residential-burglary:month.beyond-upper:3 does not exist",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
