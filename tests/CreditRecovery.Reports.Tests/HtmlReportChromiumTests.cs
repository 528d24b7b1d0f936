using System.Diagnostics;
using System.Globalization;
using CreditRecovery.Ports;
using CreditRecovery.Reporting;
using CreditRecovery.Testing.Reporting;
using NodaTime;
using static CreditRecovery.Reports.Tests.ReportEngine;

namespace CreditRecovery.Reports.Tests;

/// <summary>A test that needs headless Chromium (Debian <c>chromium</c>): skipped locally when it is missing, never on CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is missing outside CI.</summary>
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Chromium is not installed here: install the Debian package 'chromium' to run this test; CI (CI=true, .ci/run) always runs it.";
        }
    }
}

/// <summary>Runs headless Chromium with the flags that keep it offline and quiet.</summary>
internal static class Chromium
{
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static async Task<string> RunAsync(params string[] arguments)
    {
        var binary = Path ?? throw new InvalidOperationException("Chromium is not installed (Debian package 'chromium'); CI installs it in .ci/run.");
        var profile = Directory.CreateTempSubdirectory("cr-chromium-");
        try
        {
            var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var flag in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.FullName,
            }.Concat(arguments))
            {
                start.ArgumentList.Add(flag);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

/// <summary>The HTML report opens in headless Chromium, shows the figures, and leaves a screenshot in artifacts/.</summary>
public sealed class HtmlReportChromiumTests
{
    [ChromiumFact]
    public async Task The_html_report_renders_its_figures_in_chromium_and_a_screenshot_is_taken()
    {
        var book = ReportBook.Build(Company, AsOf, ReportBook.Random(seed: 21, count: 300, customers: 12));
        await using var harness = await CreateAsync("sqlite", book);
        var reports = harness.Engine.Reports;
        var aging = await reports.GetAgingAsync(Admin, Company, new AgingRequest { AsOf = AsOf, GroupBy = AgingDimension.Customer });
        var byCustomer = await reports.GetCreditByCustomerAsync(Admin, Company, AsOf);
        var effectiveness = await reports.GetEffectivenessAsync(Admin, Company, new DateInterval(AsOf.PlusMonths(-5), AsOf));
        var interest = await reports.GetClaimableInterestAsync(Admin, Company, AsOf);
        var html = new HtmlReport("Credit report — ACME S.p.A. <demo>")
            .AddMeta("As of 2026-03-31")
            .AddAging(aging)
            .AddCreditByCustomer(byCustomer)
            .AddParkingAreas(await reports.GetParkingAreasAsync(Admin, Company))
            .AddEffectiveness(effectiveness)
            .AddClaimableInterest(interest)
            .ToString();

        Assert.DoesNotContain("<demo>", html, StringComparison.Ordinal); // escaped
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var folder = Path.Combine(RepositoryRoot(), "artifacts", "reports");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "credit-report.html");
        await File.WriteAllTextAsync(file, html);

        var dom = await Chromium.RunAsync("--dump-dom", new Uri(file).AbsoluteUri);
        var it = CultureInfo.GetCultureInfo("it-IT");
        var eur = aging.Total("EUR");
        Assert.Contains("Credit report — ACME S.p.A. &lt;demo&gt;", dom, StringComparison.Ordinal);
        Assert.Contains(eur.Total.ToString("N2", it), dom, StringComparison.Ordinal);
        Assert.Contains("Cliente", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;àè€&gt; &amp; co; =SUM(A1)", dom, StringComparison.Ordinal); // a customer name with markup stays text
        Assert.Contains("Open residual by age (EUR)", dom, StringComparison.Ordinal);
        Assert.Contains("<rect", dom, StringComparison.Ordinal);
        Assert.Contains("DSO, days (EUR)", dom, StringComparison.Ordinal);
        foreach (var line in byCustomer.Take(3))
        {
            Assert.Contains(line.OpenResidual.ToString("N2", it), dom, StringComparison.Ordinal);
        }

        var screenshot = Path.Combine(RepositoryRoot(), "artifacts", "reports-credit-report.png");
        File.Delete(screenshot);
        await Chromium.RunAsync("--screenshot=" + screenshot, "--window-size=1280,2400", "--hide-scrollbars", new Uri(file).AbsoluteUri);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"the screenshot has only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditRecovery.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CreditRecovery.Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
