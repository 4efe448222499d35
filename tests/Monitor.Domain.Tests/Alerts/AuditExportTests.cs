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
            "at,alertId,action,from,to,severity,escalation,who,role,note\r\n"
            + "2026-11-25T20:15:30.250+00:00,rugby:incident-INC-1:unattended:1,acknowledged,active-unacknowledged,active-acknowledged,breach,duty-inspector,Sgt Patel,supervisor,crew on the way\r\n",
            csv);
    }

    [Fact]
    public void A_raise_has_an_empty_from_cell_and_a_system_actor()
    {
        var entry = new AlertAuditEntry(At, "a:b:c:1", AlertAction.Raised, null, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null);

        Assert.EndsWith("\r\n2026-11-25T20:15:30.250+00:00,a:b:c:1,raised,,active-unacknowledged,warning,supervisor,system,system,\r\n", AuditExport.ToCsv([entry]), StringComparison.Ordinal);
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

        Assert.EndsWith(",'@evil,supervisor,'=cmd|' /C calc'!A0\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_export_uses_camel_case_and_the_wire_names_and_reads_back()
    {
        var json = AuditExport.ToJson([Entry("ok")]);

        Assert.Equal(
            "[{\"at\":\"2026-11-25T20:15:30.25+00:00\",\"alertId\":\"rugby:incident-INC-1:unattended:1\",\"action\":\"acknowledged\",\"from\":\"active-unacknowledged\",\"to\":\"active-acknowledged\",\"severity\":\"breach\",\"escalation\":\"duty-inspector\",\"who\":\"Sgt Patel\",\"role\":\"supervisor\",\"note\":\"ok\"}]",
            json);
        Assert.Equal([Entry("ok")], JsonSerializer.Deserialize<List<AlertAuditEntry>>(json, Web));
    }
}
