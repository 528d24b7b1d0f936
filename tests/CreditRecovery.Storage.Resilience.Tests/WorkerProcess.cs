using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CreditRecovery.Storage.Resilience.Tests;

/// <summary>The worker program (CreditRecovery.Storage.Worker) started as a child process.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>Whether the worker printed its "ready" line (its store is open: it is past start-up).</summary>
    public bool Ready { get; private set; }

    /// <summary>The first day this process runs (from the "ready" line).</summary>
    public string? ResumedAt { get; private set; }

    /// <summary>How many days the worker completed in this process.</summary>
    public int DaysDone { get; private set; }

    /// <summary>The worker's final line, when it finished.</summary>
    public string? FinalLine { get; private set; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static WorkerProcess Start(WorkerArguments arguments)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "CreditRecovery.Storage.Worker.dll");
        if (!File.Exists(worker))
        {
            throw new InvalidOperationException($"The worker program is missing: {worker}");
        }

        var start = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(worker);
        foreach (var argument in arguments.ToList())
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var result = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => result.OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => result.OnLine(e.Data, error: true);
        if (!process.Start())
        {
            throw new InvalidOperationException("The worker did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until the worker exits or <paramref name="timeout"/> passes; true when it exited.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the worker and its children (SIGKILL on Linux) and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Runs to completion; throws with the worker's output when it fails or takes too long.</summary>
    public static async Task<WorkerProcess> RunAsync(WorkerArguments arguments, TimeSpan timeout)
    {
        var worker = Start(arguments);
        if (!await worker.WaitAsync(timeout))
        {
            worker.Kill();
            throw new TimeoutException($"The worker did not finish within {timeout}:{Environment.NewLine}{worker.Output}");
        }

        await worker.DrainAsync();
        if (worker.ExitCode != 0)
        {
            throw new InvalidOperationException($"The worker exited with {worker.ExitCode}:{Environment.NewLine}{worker.Output}");
        }

        return worker;
    }

    /// <summary>Waits for the asynchronous output readers to deliver the last lines.</summary>
    public Task DrainAsync()
    {
        _process.WaitForExit(); // With redirected streams, this overload waits for the end of output.
        return Task.CompletedTask;
    }

    public void Dispose() => _process.Dispose();

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(error ? "[stderr] " : "").AppendLine(line);
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                Ready = true;
                var at = line.LastIndexOf("resuming at ", StringComparison.Ordinal);
                ResumedAt = at < 0 ? null : line[(at + "resuming at ".Length)..];
            }
            else if (line.StartsWith("day ", StringComparison.Ordinal))
            {
                DaysDone++;
            }
            else if (line.StartsWith("worker ", StringComparison.Ordinal))
            {
                FinalLine = line;
            }
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }
}

/// <summary>The worker's command line.</summary>
internal sealed record WorkerArguments(string Store, string Connection, int Seed, int Customers, int Installments, string From, string To, int WorkerId = 1, int Workers = 1)
{
    public IEnumerable<string> ToList() =>
    [
        "--store", Store,
        "--connection", Connection,
        "--seed", Seed.ToString(CultureInfo.InvariantCulture),
        "--customers", Customers.ToString(CultureInfo.InvariantCulture),
        "--installments", Installments.ToString(CultureInfo.InvariantCulture),
        "--from", From,
        "--to", To,
        "--worker-id", WorkerId.ToString(CultureInfo.InvariantCulture),
        "--workers", Workers.ToString(CultureInfo.InvariantCulture),
    ];
}
