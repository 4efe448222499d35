using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// The printable report in headless Chromium: the page shows the report's figures, prints to an A4 PDF, and the
/// PDF's first page, drawn by pdf.js (the wallboard's devDependency, served to this test only) onto a canvas, is
/// checked as an image.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportPageTests(ReportFixture fixture, Chromium chromium)
{
    /// <summary>An origin of the test's own: nothing of pdf.js is served by the monitor.</summary>
    private const string CheckOrigin = "http://pdf-check.test";

    private static readonly string PdfJs = Path.GetFullPath(Path.Combine(Chromium.ArtifactsDirectory, "..", "..", "src", "Monitor.Server", "wallboard", "node_modules", "pdfjs-dist", "build"));

    [Fact]
    public async Task The_report_page_shows_the_quarter_and_prints_to_an_a4_pdf_whose_first_page_is_the_summary()
    {
        Assert.True(fixture.FirstImport.Exit == 0, fixture.FirstImport.Errors);
        await using var browser = await chromium.OpenAsync(fixture.App.ClientOptions.BaseAddress, width: 1240, height: 1754);
        var token = MonitorAppFactory.MintToken(MonitorRoles.Inspector);
        await browser.Page.GotoAsync($"/report.html?force=warwickshire&quarter=2017Q3&access_token={token}");

        await Expect(browser.Page.Locator("body[data-ready='2017Q3']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Performance summary July – September 2017");
        await Expect(browser.Page.Locator("tr[data-topic='Total recorded crime']")).ToContainTextAsync("Increase on previous quarter (+4%)");
        await Expect(browser.Page.Locator("tr[data-topic='Business crime']")).ToContainTextAsync("Comparable to previous quarter");

        // Coloured by what a change means for the measure, not by its sign: fewer hate crimes reported is a concern,
        // more domestic abuse reported an improvement, more burglary a concern.
        await Expect(browser.Page.Locator("tr[data-topic='Hate crime'] span.concern")).ToHaveTextAsync("Decrease on previous quarter (-13%)");
        await Expect(browser.Page.Locator("tr[data-topic='Domestic abuse'] span.improvement")).ToHaveCountAsync(1);
        await Expect(browser.Page.Locator("tr[data-measure='residential-burglary'][data-area='warwickshire'] span.concern")).ToHaveTextAsync("+8%");
        await Expect(browser.Page.Locator("tr[data-topic='Business crime'] span.comparable")).ToHaveCountAsync(1);
        var crime = browser.Page.Locator("tr[data-measure='total-recorded-crime'][data-area='warwickshire']");
        await Expect(crime).ToContainTextAsync("11,086");
        await Expect(crime).ToContainTextAsync("10,297");
        await Expect(browser.Page.Locator("#districts tr[data-measure='total-recorded-crime']")).ToContainTextAsync("19.9");
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("report-page.png"), FullPage = true });

        var pdf = await browser.Page.PdfAsync(new() { Format = "A4", PrintBackground = true, Path = Chromium.ArtifactPath("report-2017Q3.pdf") });
        browser.AssertNoErrors();
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);

        var (check, image) = await RenderFirstPageAsync(pdf);

        // A4 is 595 x 842 points; each section starts a page: summary, three parts, districts, calls, response.
        Assert.True(check.GetProperty("error").ValueKind == JsonValueKind.Null, check.GetProperty("error").ToString());
        Assert.InRange(check.GetProperty("widthPt").GetDouble(), 594, 596);
        Assert.InRange(check.GetProperty("heightPt").GetDouble(), 841, 843);
        Assert.True(check.GetProperty("pages").GetInt32() >= 7, $"{check.GetProperty("pages")} pages");
        Assert.Contains("Performance summary July – September 2017", check.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Increase on previous quarter (+4%)", check.GetProperty("text").GetString(), StringComparison.Ordinal);

        // The image itself: A4's 1 : 1.414, not blank, the title band dark with ink, the top margin left white.
        var (width, height) = PngSize(image);
        Assert.InRange((double)height / width, 1.40, 1.43);
        Assert.True(check.GetProperty("whole").GetProperty("ink").GetDouble() > 0.01, $"page 1 is nearly blank: {check.GetProperty("whole")}");
        Assert.True(check.GetProperty("title").GetProperty("dark").GetDouble() > 0.01, $"no title at the top of page 1: {check.GetProperty("title")}");
        Assert.Equal(0, check.GetProperty("topMargin").GetProperty("ink").GetDouble());
    }

    /// <summary>
    /// A change within 1% is "comparable", so its printed figure must not read as 1%: CSE, 164 against 165 (-0.61%),
    /// was printed "-1%" beside "comparable". Changes beyond 1% keep the force report's whole percent.
    /// </summary>
    [Fact]
    public async Task Opened_with_no_quarter_the_page_shows_the_last_to_have_ended()
    {
        Assert.True(fixture.FirstImport.Exit == 0, fixture.FirstImport.Errors);
        await using var browser = await chromium.OpenAsync(fixture.App.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/report.html?access_token={MonitorAppFactory.MintToken(MonitorRoles.Inspector)}");

        // The server's clock is in October 2017.
        await Expect(browser.Page.Locator("body[data-ready='2017Q3']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("h1")).ToHaveTextAsync("Performance summary July – September 2017");
        await Expect(browser.Page.Locator("#quarter")).ToHaveValueAsync("2017Q3");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_comparable_change_is_never_printed_as_one_percent_or_more()
    {
        Assert.True(fixture.FirstImport.Exit == 0, fixture.FirstImport.Errors);
        await using var browser = await chromium.OpenAsync(fixture.App.ClientOptions.BaseAddress, width: 1240, height: 1754);
        await browser.Page.GotoAsync($"/report.html?force=warwickshire&quarter=2017Q3&access_token={MonitorAppFactory.MintToken(MonitorRoles.Inspector)}");
        await Expect(browser.Page.Locator("body[data-ready='2017Q3']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        var cse = browser.Page.Locator("tr[data-topic='Child sexual exploitation']");
        await Expect(cse).ToHaveAttributeAsync("data-verdict", "comparable");
        await Expect(SummaryChange(browser.Page, "Child sexual exploitation")).ToHaveTextAsync("-0.6%");
        await Expect(browser.Page.Locator("tr[data-measure='cse'][data-area='warwickshire'] span.comparable")).ToHaveTextAsync("-0.6%");

        // The rest as before: no change is 0%, no previous quarter a dash, a change beyond 1% a whole percent
        // (cyber crime, 192 against 195, is the report's "2% reduction").
        await Expect(SummaryChange(browser.Page, "Business crime")).ToHaveTextAsync("0%");
        await Expect(SummaryChange(browser.Page, "Missing person reports")).ToHaveTextAsync("–");
        await Expect(SummaryChange(browser.Page, "Cyber crime")).ToHaveTextAsync("-2%");
        await Expect(SummaryChange(browser.Page, "Total recorded crime")).ToHaveTextAsync("+4%");

        // Every comparable change on the page, in the summary and in the measures' rows, reads under 1%.
        var comparable = await browser.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("tr[data-topic][data-verdict='comparable'] td:nth-of-type(3), tr[data-measure][data-area] span.comparable")]
              .map(cell => cell.textContent)
            """);
        Assert.NotEmpty(comparable);
        Assert.All(comparable, text => Assert.True(
            text == "–" || Math.Abs(double.Parse(text.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)) < 1, $"'{text}' is printed beside 'comparable'"));
        browser.AssertNoErrors();
    }

    /// <summary>
    /// Changes either side of the 1% line, put into the server's own report on its way to the page: the printed
    /// figure stays on the change's side of the line (docs/reports.md).
    /// </summary>
    [Fact]
    public async Task Changes_near_one_percent_are_printed_on_their_own_side_of_it()
    {
        Assert.True(fixture.FirstImport.Exit == 0, fixture.FirstImport.Errors);
        await using var browser = await chromium.OpenAsync(fixture.App.ClientOptions.BaseAddress, width: 1240, height: 1754);
        var summaryChanges = new Dictionary<string, double>
        {
            ["Child sexual exploitation"] = 0.7, // comparable
            ["Business crime"] = -0.96, // comparable: one decimal would still say "-1.0%"
            ["Total recorded crime"] = 3.55, // an increase
            ["Hate crime"] = -2.5, // a decrease, halves away from zero
            ["Cyber crime"] = -1.0, // a decrease: a change of 1% is not within 1%
            ["Robbery"] = 0.3, // comparable: a whole percent would say "+0%", a change that is not there
            ["Shoplifting"] = -0.04, // comparable: so would one decimal, "-0.0%"
        };
        await browser.Page.RouteAsync("**/api/reports/**", async route =>
        {
            var response = await route.FetchAsync();
            var report = JsonNode.Parse(await response.TextAsync())!;
            foreach (var line in report["summary"]!.AsArray())
            {
                if (summaryChanges.TryGetValue((string)line!["topic"]!, out var change))
                {
                    line["changePercent"] = change;
                }
            }

            foreach (var quarter in report["measures"]!.AsArray())
            {
                if ((string)quarter!["area"]! == "warwickshire" && (string)quarter["measure"]! == "cse")
                {
                    quarter["changePercent"] = -0.96;
                }
            }

            await route.FulfillAsync(new() { Response = response, Body = report.ToJsonString() });
        });
        await browser.Page.GotoAsync($"/report.html?force=warwickshire&quarter=2017Q3&access_token={MonitorAppFactory.MintToken(MonitorRoles.Inspector)}");
        await Expect(browser.Page.Locator("body[data-ready='2017Q3']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        await Expect(SummaryChange(browser.Page, "Child sexual exploitation")).ToHaveTextAsync("+0.7%");
        await Expect(SummaryChange(browser.Page, "Business crime")).ToHaveTextAsync("-0.96%");
        await Expect(browser.Page.Locator("tr[data-measure='cse'][data-area='warwickshire'] span.comparable")).ToHaveTextAsync("-0.96%");
        await Expect(SummaryChange(browser.Page, "Total recorded crime")).ToHaveTextAsync("+4%");
        await Expect(SummaryChange(browser.Page, "Hate crime")).ToHaveTextAsync("-3%");
        await Expect(SummaryChange(browser.Page, "Cyber crime")).ToHaveTextAsync("-1%");
        await Expect(SummaryChange(browser.Page, "Robbery")).ToHaveTextAsync("+0.3%");
        await Expect(SummaryChange(browser.Page, "Shoplifting")).ToHaveTextAsync("-0.04%");
        browser.AssertNoErrors();
    }

    /// <summary>The change column of a summary line: topic, quarter, previous, change, data.</summary>
    private static ILocator SummaryChange(IPage page, string topic) => page.Locator($"tr[data-topic='{topic}'] td").Nth(2);

    /// <summary>Draws page 1 of the PDF with pdf.js on a canvas, measures its pixels and screenshots it.</summary>
    private async Task<(JsonElement Check, byte[] Image)> RenderFirstPageAsync(byte[] pdf)
    {
        await using var viewer = await chromium.OpenAsync(new Uri(CheckOrigin), width: 1000, height: 1500);
        await viewer.Page.RouteAsync($"{CheckOrigin}/**", route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            return path switch
            {
                "/index.html" => route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><body style=\"margin:0\"><canvas id=\"page\"></canvas><script type=\"module\" src=\"/check.mjs\"></script></body>" }),
                "/check.mjs" => route.FulfillAsync(new() { ContentType = "text/javascript", Body = CheckScript }),
                "/report.pdf" => route.FulfillAsync(new() { ContentType = "application/pdf", BodyBytes = pdf }),
                "/pdf.min.mjs" or "/pdf.worker.min.mjs" => route.FulfillAsync(new() { ContentType = "text/javascript", Path = Path.Combine(PdfJs, path.TrimStart('/')) }),
                _ => route.FulfillAsync(new() { Status = 404 }),
            };
        });
        await viewer.Page.GotoAsync("/index.html");
        await viewer.Page.WaitForFunctionAsync("() => window.pdfCheck !== undefined", null, new() { Timeout = 60_000 });
        var check = await viewer.Page.EvaluateAsync<JsonElement>("() => window.pdfCheck");
        var image = await viewer.Page.Locator("#page").ScreenshotAsync(new() { Path = Chromium.ArtifactPath("report-page1.png") });
        viewer.AssertNoErrors();
        return (check, image);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    private const string CheckScript = """
        import * as pdfjs from "/pdf.min.mjs";
        pdfjs.GlobalWorkerOptions.workerSrc = "/pdf.worker.min.mjs";
        function band(pixels, width, from, to) {
          let dark = 0, ink = 0, total = 0;
          for (let y = from; y < to; y++) {
            for (let x = 0; x < width; x++) {
              const i = (y * width + x) * 4;
              const light = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
              total++;
              if (light < 128) dark++;
              if (light < 245) ink++;
            }
          }
          return { dark: dark / total, ink: ink / total };
        }
        try {
          const doc = await pdfjs.getDocument({ url: "/report.pdf" }).promise;
          const page = await doc.getPage(1);
          const viewport = page.getViewport({ scale: 1.5 });
          const canvas = document.getElementById("page");
          canvas.width = Math.round(viewport.width);
          canvas.height = Math.round(viewport.height);
          const context = canvas.getContext("2d", { willReadFrequently: true });
          context.fillStyle = "#fff";
          context.fillRect(0, 0, canvas.width, canvas.height);
          await page.render({ canvasContext: context, viewport }).promise;
          const text = (await page.getTextContent()).items.map(item => item.str).join(" ");
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
          const h = canvas.height;
          window.pdfCheck = {
            error: null, pages: doc.numPages, widthPt: page.view[2] - page.view[0], heightPt: page.view[3] - page.view[1], text,
            whole: band(pixels, canvas.width, 0, h),
            title: band(pixels, canvas.width, Math.round(h * 0.04), Math.round(h * 0.12)),
            topMargin: band(pixels, canvas.width, 0, Math.round(h * 0.03)),
          };
        } catch (e) {
          window.pdfCheck = { error: String(e) };
        }
        """;
}
