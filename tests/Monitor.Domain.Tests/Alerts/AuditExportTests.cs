using System.Text.Json;
using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class AuditExportTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly DateTimeOffset At = new(2026, 11, 25, 20, 15, 30, 250, TimeSpan.Zero);

    private static AlertAuditEntry Entry(string note, string who = "Sgt Patel") =>
        new(At, "rugby:incident-INC-1:unattended:1", AlertAction.Acknowledged, AlertState.ActiveUnacknowledged, AlertState.ActiveAcknowledged, AlertLevel.Breach, EscalationLevel.DutyInspector, who, "supervisor", note);

    [Fact]
    public void The_csv_has_a_header_and_one_crlf_record_per_entry()
    {
        var csv = AuditExport.ToCsv([Entry("crew on the way")]);

        Assert.Equal(
            "at,alertId,action,from,to,severity,escalation,who,role,note,shelvedUntil\r\n"
            + "2026-11-25T20:15:30.250+00:00,rugby:incident-INC-1:unattended:1,acknowledged,active-unacknowledged,active-acknowledged,breach,duty-inspector,Sgt Patel,supervisor,crew on the way,\r\n",
            csv);
    }

    [Fact]
    public void A_raise_has_an_empty_from_cell_and_a_system_actor()
    {
        var entry = new AlertAuditEntry(At, "a:b:c:1", AlertAction.Raised, null, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null);

        Assert.EndsWith("\r\n2026-11-25T20:15:30.250+00:00,a:b:c:1,raised,,active-unacknowledged,warning,supervisor,system,system,,\r\n", AuditExport.ToCsv([entry]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("he said \"go\"", "\"he said \"\"go\"\"\"")]
    [InlineData("line one\nline two", "\"line one\nline two\"")]
    [InlineData("line one\r\nline two", "\"line one\r\nline two\"")]
    [InlineData("", "")]
    public void Cells_are_quoted_as_rfc_4180_says(string value, string expected) =>
        Assert.Equal(expected, AuditExport.Cell(value));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("a=1", "a=1")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(string value, string expected) =>
        Assert.Equal(expected, AuditExport.Cell(value));

    [Fact]
    public void A_person_typing_a_formula_as_name_or_note_cannot_make_the_export_run_it()
    {
        var csv = AuditExport.ToCsv([Entry("=cmd|' /C calc'!A0", who: "@evil")]);

        Assert.EndsWith(",'@evil,supervisor,'=cmd|' /C calc'!A0,\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_export_uses_camel_case_and_the_wire_names_and_reads_back()
    {
        var json = AuditExport.ToJson([Entry("ok")]);

        Assert.Equal(
            "[{\"at\":\"2026-11-25T20:15:30.25+00:00\",\"alertId\":\"rugby:incident-INC-1:unattended:1\",\"action\":\"acknowledged\",\"from\":\"active-unacknowledged\",\"to\":\"active-acknowledged\",\"severity\":\"breach\",\"escalation\":\"duty-inspector\",\"who\":\"Sgt Patel\",\"role\":\"supervisor\",\"note\":\"ok\",\"shelvedUntil\":null}]",
            json);
        Assert.Equal([Entry("ok")], JsonSerializer.Deserialize<List<AlertAuditEntry>>(json, Web));
    }

    [Fact]
    public void A_shelved_entry_says_until_when_in_the_json_and_the_last_csv_column_and_no_other_entry_does()
    {
        var bench = new AlertBench(new AlertKey("rugby", "residential-burglary", "month.beyond-upper"));
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Advance(TimeSpan.FromMinutes(2));
        bench.Shelve(45);

        var shelved = Assert.Single(bench.Audit, e => e.Action == AlertAction.Shelved);
        Assert.Equal(AlertBench.Start.AddMinutes(47), shelved.ShelvedUntil);
        Assert.All(bench.Audit.Where(e => e.Action != AlertAction.Shelved), e => Assert.Null(e.ShelvedUntil));

        var csv = AuditExport.ToCsv(bench.Audit).Split("\r\n");
        Assert.EndsWith(",\"known fault, engineer on site\",2026-11-25T20:47:00.000+00:00", csv[3], StringComparison.Ordinal);
        Assert.EndsWith(",crew assigned,", csv[2], StringComparison.Ordinal);
        var json = JsonDocument.Parse(AuditExport.ToJson(bench.Audit)).RootElement;
        Assert.Equal("2026-11-25T20:47:00+00:00", json[2].GetProperty("shelvedUntil").GetString());
        Assert.Equal(JsonValueKind.Null, json[1].GetProperty("shelvedUntil").ValueKind);
    }

    [Fact]
    public void An_entry_written_before_the_shelf_end_was_recorded_still_reads()
    {
        const string stored = "{\"at\":\"2026-11-25T20:15:30.25+00:00\",\"alertId\":\"rugby:incident-INC-1:unattended:1\",\"action\":\"acknowledged\",\"from\":\"active-unacknowledged\",\"to\":\"active-acknowledged\",\"severity\":\"breach\",\"escalation\":\"duty-inspector\",\"who\":\"Sgt Patel\",\"role\":\"supervisor\",\"note\":\"ok\"}";

        Assert.Equal(Entry("ok"), JsonSerializer.Deserialize<AlertAuditEntry>(stored, Web));
    }
}
