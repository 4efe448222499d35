using System.Text.Json.Nodes;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;

namespace Monitor.Domain.Tests.Measures;

public sealed class ChartNoteLogTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static readonly ChartNote PhaseStart = new(
        "n1", ChartNoteKind.PhaseStart, Monday, null, null, "crimes recorded at first contact from this day", Monday.AddDays(2).AddHours(9), "Insp Hale", "supervisor",
        new ChartNoteWithdrawal(Monday.AddDays(3).AddHours(14), "Supt Rao", "admin", "the change came a week later"));

    private static readonly ChartNote Ghost = new(
        "n2", ChartNoteKind.Ghost, Monday.AddDays(1), Monday.AddDays(2), PeriodKind.Day, "=feed outage, counts doubled", Monday.AddDays(2).AddHours(10), "Sgt Patel", "supervisor");

    [Fact]
    public void Every_note_given_and_every_withdrawal_is_a_line_oldest_first_across_the_forces_measures()
    {
        var log = ChartNoteLog.Entries([("rugby", "residential-burglary", [PhaseStart]), ("warwick", "shoplifting", [Ghost]), ("stratford", "robbery", [])]);

        Assert.Equal(
            [
                ("rugby", "n1", "added", "Insp Hale", "crimes recorded at first contact from this day"),
                ("warwick", "n2", "added", "Sgt Patel", "=feed outage, counts doubled"),
                ("rugby", "n1", "withdrawn", "Supt Rao", "the change came a week later"),
            ],
            log.Select(e => (e.Area, e.NoteId, e.Action, e.Who, e.Reason)));
        Assert.All(log.Where(e => e.NoteId == "n1"), e => Assert.Equal(("phase-start", (DateTimeOffset?)null, (string?)null), (e.Kind, e.To, e.Period)));
        Assert.Equal(("ghost", Monday.AddDays(2), "day"), (log[1].Kind, log[1].To!.Value, log[1].Period!));
    }

    [Fact]
    public void Two_lines_at_one_instant_keep_a_fixed_order_with_note_ten_after_note_two()
    {
        var at = Monday.AddHours(8);
        var notes = new[] { "n10", "n2" }.Select(id => PhaseStart with { Id = id, At = at, Withdrawn = null }).ToList();

        Assert.Equal(["n2", "n10"], ChartNoteLog.Entries([("rugby", "robbery", notes)]).Select(e => e.NoteId));
    }

    [Fact]
    public void The_csv_guards_a_reason_a_spreadsheet_would_run_and_the_json_names_every_field()
    {
        var log = ChartNoteLog.Entries([("warwick", "shoplifting", [Ghost])]);

        Assert.Equal(
            "at,area,measure,noteId,action,kind,from,to,period,who,role,reason\r\n"
            + "2026-11-25T10:00:00.000+00:00,warwick,shoplifting,n2,added,ghost,2026-11-24T00:00:00.000+00:00,2026-11-25T00:00:00.000+00:00,day,Sgt Patel,supervisor,\"'=feed outage, counts doubled\"\r\n",
            ChartNoteLog.ToCsv(log));
        var line = JsonNode.Parse(ChartNoteLog.ToJson(log))!.AsArray().Single()!.AsObject();
        Assert.Equal(ChartNoteLog.Columns, line.Select(p => p.Key));
        Assert.Equal("=feed outage, counts doubled", (string)line["reason"]!);
    }
}
