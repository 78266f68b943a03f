using EtlActors.Engine.RateLimits;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>The budget over long simulated runs: the rate, the concurrency and the tenants' shares.</summary>
public sealed class RequestBudgetPacingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Simulated readers never ask again while they wait, so nothing may be abandoned here (tested on its own).
    private static readonly RequestBudgetSettings Settings = RequestBudgetSettings.Default with { AbandonAfter = TimeSpan.FromDays(1) };

    private static RequestBudgetSimulation Simulation(int seed = 7) =>
        new(Settings, T0, seed) { MaxHold = TimeSpan.FromMilliseconds(400), MaxThink = TimeSpan.FromMilliseconds(300) };

    [Theory]
    [InlineData(5.0)]
    [InlineData(12.0)]
    [InlineData(2.5)]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void No_window_of_one_second_plus_the_margin_ever_holds_more_grants_than_the_rate(double rps)
    {
        var sim = Simulation();
        sim.Readers("acme", 4, rps, concurrent: 20);
        sim.Readers("globex", 7, rps, concurrent: 20);
        sim.Readers("initech", 2, rps, concurrent: 20);

        sim.Run(TimeSpan.FromMinutes(10));

        // N requests per second (whole ones: a server counts whole requests); below one a second, one per 1/rps.
        var perWindow = rps >= 1 ? (int)Math.Floor(rps) : 1;
        var window = (rps >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / rps)) + Settings.Margin;
        var times = sim.Grants.Select(g => g.At).ToList();
        for (var i = 0; i + perWindow < times.Count; i++)
            Assert.True(times[i + perWindow] - times[i] >= window, $"grants {i}..{i + perWindow} span only {times[i + perWindow] - times[i]}");
        // Demand exceeds the rate throughout, so the budget is used, not only respected.
        var windows = (int)(TimeSpan.FromMinutes(10) / window);
        Assert.InRange(times.Count, windows * perWindow, (windows + 1) * perWindow);
    }

    [Fact]
    public void Two_busy_tenants_each_get_about_half_whatever_their_number_of_readers()
    {
        var sim = Simulation();
        sim.Readers("acme", 10, 5, concurrent: 50);
        sim.Readers("globex", 3, 5, concurrent: 50);

        sim.Run(TimeSpan.FromMinutes(5));

        var acme = sim.Grants.Count(g => g.Request.TenantId == "acme");
        Assert.InRange(acme / (double)sim.Grants.Count, 0.4, 0.6);
    }

    [Fact]
    public void A_tenant_alone_gets_the_whole_budget()
    {
        var alone = Simulation();
        alone.Readers("acme", 10, 5, concurrent: 50);
        alone.Run(TimeSpan.FromMinutes(5));
        var shared = Simulation();
        shared.Readers("acme", 10, 5, concurrent: 50);
        shared.Readers("globex", 3, 5, concurrent: 50);
        shared.Run(TimeSpan.FromMinutes(5));

        var windows = (int)(TimeSpan.FromMinutes(5) / (TimeSpan.FromSeconds(1) + Settings.Margin));
        Assert.InRange(alone.Grants.Count, windows * 5, (windows + 1) * 5);
        Assert.InRange(shared.Grants.Count, windows * 5, (windows + 1) * 5);
    }

    [Fact]
    public void Permits_out_at_once_reach_the_hosts_concurrency_and_never_exceed_it()
    {
        var sim = new RequestBudgetSimulation(Settings, T0) { MaxHold = TimeSpan.FromSeconds(2) };
        sim.Readers("acme", 6, 100, concurrent: 3);
        sim.Readers("globex", 6, 100, concurrent: 3);

        sim.Run(TimeSpan.FromMinutes(2));

        Assert.Equal(3, sim.MaxOutstanding);
        Assert.True(sim.Grants.Count > 100);
    }

    [Fact]
    public void Hosts_are_paced_apart()
    {
        var sim = Simulation();
        sim.Readers("acme", 5, 2, concurrent: 10, host: "a.example.com:443");
        sim.Readers("acme", 5, 3, concurrent: 10, host: "b.example.com:443");

        sim.Run(TimeSpan.FromMinutes(1));

        var a = sim.Grants.Count(g => g.Request.Host == "a.example.com:443");
        var b = sim.Grants.Count(g => g.Request.Host == "b.example.com:443");
        var windows = (int)(TimeSpan.FromMinutes(1) / (TimeSpan.FromSeconds(1) + Settings.Margin));
        Assert.InRange(a, windows * 2, (windows + 1) * 2);
        Assert.InRange(b, windows * 3, (windows + 1) * 3);
    }
}
