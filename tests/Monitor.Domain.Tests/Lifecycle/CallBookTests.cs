using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Tests.Lifecycle;

public sealed class CallBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 59, 55, TimeSpan.Zero);

    [Fact]
    public void An_answered_call_counts_as_offered_and_as_answered_with_its_time_to_answer_in_the_period_it_was_offered()
    {
        var book = new CallBook { Channel = "999" };

        var offered = book.Apply(Offered("c1", T0));
        var answered = book.Apply(Answered("c1", T0.AddSeconds(7.5)));

        Assert.Equal([FactKind.CallOffered], offered.Facts.Select(f => f.Kind));
        var fact = Assert.Single(answered.Facts);
        Assert.Equal(FactKind.CallAnswered, fact.Kind);
        Assert.Equal(7.5, fact.Duration);
        Assert.Equal(T0, fact.At);
        Assert.Equal("999", fact.Channel);
    }

    [Fact]
    public void An_answer_heard_before_its_offer_counts_once_the_offer_arrives()
    {
        var book = new CallBook { Channel = "101" };

        var early = book.Apply(Answered("c2", T0.AddSeconds(40)));
        var offer = book.Apply(Offered("c2", T0));

        Assert.False(early.Duplicate);
        Assert.Empty(early.Facts);
        Assert.Equal([FactKind.CallOffered, FactKind.CallAnswered], offer.Facts.Select(f => f.Kind));
        Assert.Equal(40, offer.Facts[1].Duration);
    }

    [Fact]
    public void An_abandonment_belongs_to_the_period_the_call_was_offered_in_so_the_rate_shares_its_denominator()
    {
        var book = new CallBook { Channel = "999" };
        var lastSecondsOfOctober = new DateTimeOffset(2026, 10, 31, 23, 59, 50, TimeSpan.Zero);

        book.Apply(Offered("c5", lastSecondsOfOctober));
        var abandoned = Assert.Single(book.Apply(Abandoned("c5", lastSecondsOfOctober.AddSeconds(30))).Facts);

        Assert.Equal(FactKind.CallAbandoned, abandoned.Kind);
        Assert.Equal(lastSecondsOfOctober, abandoned.At);
    }

    [Fact]
    public void An_abandonment_heard_before_its_offer_counts_once_the_offer_arrives()
    {
        var book = new CallBook { Channel = "101" };

        var early = book.Apply(Abandoned("c6", T0.AddSeconds(90)));
        var offer = book.Apply(Offered("c6", T0));

        Assert.False(early.Duplicate);
        Assert.Empty(early.Facts);
        Assert.Equal([FactKind.CallOffered, FactKind.CallAbandoned], offer.Facts.Select(f => f.Kind));
        Assert.All(offer.Facts, f => Assert.Equal(T0, f.At));
    }

    [Fact]
    public void A_second_ending_is_a_duplicate_whether_it_repeats_or_contradicts_the_first()
    {
        var book = new CallBook { Channel = "999" };
        book.Apply(Offered("c3", T0));
        book.Apply(Answered("c3", T0.AddSeconds(3)));

        Assert.True(book.Apply(Answered("c3", T0.AddSeconds(3))).Duplicate);
        Assert.True(book.Apply(Answered("c3", T0.AddSeconds(9))).Duplicate);
        Assert.True(book.Apply(Abandoned("c3", T0.AddSeconds(20))).Duplicate);
        Assert.True(book.Apply(Offered("c3", T0)).Duplicate);
    }

    [Fact]
    public void Every_order_of_a_calls_events_with_repeats_yields_the_same_facts()
    {
        var events = new CallEvent[] { Offered("c4", T0), Answered("c4", T0.AddSeconds(12)), Offered("c4", T0), Answered("c4", T0.AddSeconds(12)) };
        var expected = FactsOf([events[0], events[1]]);

        foreach (var order in Permutations(events))
        {
            Assert.Equal(expected, FactsOf(order));
        }
    }

    [Fact]
    public void An_abandoned_call_counts_in_the_abandoned_numerator_and_leaves_the_queue()
    {
        var book = new CallBook { Channel = "999" };
        book.Apply(Offered("c5", T0));
        book.Apply(Offered("c6", T0.AddSeconds(5)));

        Assert.Equal(["c5", "c6"], book.Waiting(T0.AddSeconds(10)).Select(w => w.CallId));
        Assert.Equal((2, T0), book.Queue(T0.AddSeconds(10)));
        var outcome = book.Apply(Abandoned("c5", T0.AddSeconds(30)));

        Assert.Equal(FactKind.CallAbandoned, Assert.Single(outcome.Facts).Kind);
        var waiting = Assert.Single(book.Waiting(T0.AddSeconds(31)));
        Assert.Equal("c6", waiting.CallId);
        Assert.Equal(T0.AddSeconds(5), waiting.Offered);
        Assert.Equal((1, T0.AddSeconds(5)), book.Queue(T0.AddSeconds(31)));
    }

    // The board's count and longest wait, walked without a list, against the list the alert sweep reads: callers
    // offered in the future of "now" (a clock behind the feed's) and past two hours are in neither.
    [Fact]
    public void The_queue_counted_for_the_board_is_the_waiting_list_counted()
    {
        var random = new Random(7);
        var book = new CallBook { Channel = "999" };
        for (var i = 0; i < 400; i++)
        {
            var offered = T0.AddMinutes(random.Next(-180, 30));
            book.Apply(Offered($"q{i}", offered));
            if (random.Next(3) == 0)
            {
                book.Apply(Answered($"q{i}", offered.AddSeconds(8)));
            }
        }

        foreach (var now in new[] { T0.AddMinutes(-200), T0.AddMinutes(-60), T0, T0.AddMinutes(29), T0.AddHours(3) })
        {
            var waiting = book.Waiting(now);
            Assert.Equal((waiting.Count, waiting.Count > 0 ? waiting[0].Offered : (DateTimeOffset?)null), book.Queue(now));
        }

        Assert.Equal(0, book.Queue(T0.AddMinutes(-200)).Count);
        Assert.InRange(book.Queue(T0).Count, 100, 250);
    }

    [Fact]
    public void A_call_that_never_hears_its_ending_leaves_the_queue_after_two_hours_and_is_forgotten()
    {
        var book = new CallBook { Channel = "101" };
        book.Apply(Offered("c7", T0));

        Assert.Single(book.Waiting(T0.AddMinutes(119)));
        Assert.Empty(book.Waiting(T0.AddMinutes(121)));
        Assert.Equal((1, T0), book.Queue(T0.AddMinutes(119)));
        Assert.Equal((0, null), book.Queue(T0.AddMinutes(121)));
        Assert.Equal(["c7"], book.Prune(T0.AddMinutes(121)));
        Assert.Empty(book.Calls);
    }

    [Fact]
    public void Ended_calls_are_remembered_for_a_day_so_a_late_resend_is_still_a_duplicate()
    {
        var book = new CallBook { Channel = "999" };
        book.Apply(Offered("c8", T0));
        book.Apply(Answered("c8", T0.AddSeconds(4)));

        Assert.Empty(book.Prune(T0.AddHours(25)));
        Assert.True(book.Apply(Answered("c8", T0.AddSeconds(4))).Duplicate);
        Assert.Equal(["c8"], book.Prune(T0.AddHours(27)));
        Assert.Empty(book.Calls);
    }

    [Fact]
    public void A_prune_forgets_at_most_so_many_calls_and_the_next_goes_on_with_the_rest()
    {
        var book = new CallBook { Channel = "999" };
        foreach (var id in new[] { "p1", "p2", "p3", "p4", "p5" })
        {
            book.Apply(Offered(id, T0));
            book.Apply(Answered(id, T0.AddSeconds(4)));
        }

        var first = book.Prune(T0.AddHours(27), most: 2);
        var second = book.Prune(T0.AddHours(27), most: 2);
        var third = book.Prune(T0.AddHours(27), most: 2);

        Assert.Equal((2, 2, 1), (first.Count, second.Count, third.Count));
        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], first.Concat(second).Concat(third).Order(StringComparer.Ordinal));
        Assert.Empty(book.Calls);
    }

    [Fact]
    public void A_book_put_back_from_the_store_knows_its_queue_and_its_endings()
    {
        var stored = new CallBook { Channel = "999" };
        stored.Apply(Offered("w1", T0));
        stored.Apply(Offered("w2", T0.AddSeconds(30)));
        stored.Apply(Answered("w2", T0.AddSeconds(40)));
        stored.Apply(Offered("w3", T0.AddSeconds(50)));

        var book = new CallBook { Channel = "999" };
        foreach (var (callId, call) in stored.Calls)
        {
            book.Restore(callId, call);
        }

        Assert.Equal(["w1", "w3"], book.Waiting(T0.AddMinutes(1)).Select(w => w.CallId));
        Assert.True(book.Apply(Answered("w2", T0.AddSeconds(40))).Duplicate);
        book.Apply(Abandoned("w1", T0.AddMinutes(2)));
        Assert.Equal(["w3"], book.Waiting(T0.AddMinutes(3)).Select(w => w.CallId));
    }

    [Theory]
    [InlineData(90, 100, 0.9, 0)]
    [InlineData(80, 100, 0.9, 100)]
    [InlineData(0, 0, 0.9, 0)]
    [InlineData(899, 1000, 0.9, 10)]
    [InlineData(8999, 10000, 0.9, 10)]
    public void Calls_needed_is_the_least_number_of_in_target_answers_that_lifts_the_month_to_the_target(double hits, long answered, double target, long needed)
    {
        var level = ServiceLevel.From("calls-999-answered-10s", hits, answered, target);

        Assert.Equal(needed, level.CallsNeeded);
        if (answered > 0 && needed > 0)
        {
            Assert.True((hits + needed) / (answered + needed) >= target);
            Assert.True((hits + needed - 1) / (answered + needed - 1) < target);
        }
    }

    private static List<(FactKind, string, DateTimeOffset, double?)> FactsOf(IEnumerable<CallEvent> events)
    {
        var book = new CallBook { Channel = "999" };
        return [.. events.SelectMany(e => book.Apply(e).Facts).Select(f => (f.Kind, f.Key.ToString(), f.At, f.Duration)).Order()];
    }

    private static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));

    private static CallOffered Offered(string callId, DateTimeOffset at) => new($"o-{callId}-{at.Ticks}", "warwickshire", at, callId, "999");

    private static CallAnswered Answered(string callId, DateTimeOffset at) => new($"a-{callId}-{at.Ticks}", "warwickshire", at, callId, "999");

    private static CallAbandoned Abandoned(string callId, DateTimeOffset at) => new($"x-{callId}-{at.Ticks}", "warwickshire", at, callId, "999");
}
