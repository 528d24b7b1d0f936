namespace CreditRecovery.Samples.MexalDemo;

/// <summary>Faults the demo server injects on request, for tests. Thread-safe; every fault is off by default.</summary>
public sealed class MexalDemoFaults
{
    private int _unavailable;
    private int _corruptRemaining;

    /// <summary>The next <paramref name="responses"/> calls answer 503 (pool exhausted), whatever the load: a 503 storm.</summary>
    /// <param name="responses">How many calls.</param>
    public void ServiceUnavailableStorm(int responses) => Interlocked.Exchange(ref _unavailable, responses);

    /// <summary>Whether every call is answered 401, as when the password was changed in Mexal.</summary>
    public bool RefuseCredentials { get; set; }

    /// <summary>Whether every <c>next</c> token is refused as expired (400).</summary>
    public bool ExpireNextTokens { get; set; }

    /// <summary>Answers page <paramref name="page"/> of <c>/scadenzario</c> listings with broken JSON, <paramref name="times"/> times.</summary>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="times">How many times.</param>
    public void CorruptScadenzarioPage(int page, int times = 1)
    {
        CorruptPage = page;
        Interlocked.Exchange(ref _corruptRemaining, times);
    }

    /// <summary>A delay before every answer, so that concurrent calls overlap visibly.</summary>
    public TimeSpan ResponseDelay { get; set; }

    internal int CorruptPage { get; private set; }

    internal bool TakeUnavailable() => TakeOne(ref _unavailable);

    internal bool TakeCorrupt(int page) => page == CorruptPage && TakeOne(ref _corruptRemaining);

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
