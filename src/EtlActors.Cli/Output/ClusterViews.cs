using System.Globalization;
using System.Text.Json;
using EtlActors.Contracts.Cluster;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EtlActors.Cli.Output;

/// <summary>
/// What `etl cluster …` prints: a table for people, and for scripts a JSON object whose names are
/// spelled out here rather than taken from the wire types, so a new field there never changes them.
/// </summary>
internal static class ClusterViews
{
    private const int EntityIdsShown = 5;

    // What roles leave to the version column, when shown: enough for a release number.
    private const int VersionAtLeast = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string MembersJson(ClusterProtocol.ClusterStateView state) => JsonSerializer.Serialize(new
    {
        leader = state.Leader,
        members = state.Members.Select(m => new { address = m.Address, status = m.Status, roles = m.Roles, reachable = m.Reachable, version = m.Version }),
    }, Json);

    public static void MembersTable(ClusterProtocol.ClusterStateView state, IAnsiConsole? console = null)
    {
        console ??= ConsoleOutput.ForTables();
        var versions = state.Members.Select(m => m.Version ?? "?").Distinct().ToList();
        console.Write(FullMembers(console, state) ?? CompactMembers(console, state, versions));
        console.WriteLine($"{state.Members.Count} member(s); leader: {state.Leader ?? "none"}");
        if (Tables.IsNarrow(console) && versions.Count == 1)
            console.WriteLine($"all on version {versions[0]}");
    }

    private static Table? FullMembers(IAnsiConsole console, ClusterProtocol.ClusterStateView state)
    {
        var roles = state.Members.Select(m => string.Join(",", m.Roles)).ToList();
        if (Tables.IsNarrow(console) || Tables.Left(console, 6,
                Tables.Widest("ADDRESS", state.Members.Select(m => m.Address)), Tables.Widest("STATUS", state.Members.Select(m => m.Status)),
                Tables.Widest("ROLES", roles), Tables.Widest("VERSION", state.Members.Select(m => m.Version ?? "?")), "REACHABLE".Length, "LEADER".Length) < 0)
            return null;
        var table = Tables.Create().Text("Address").Text("Status").Text("Roles").Text("Version").Text("Reachable").Text("Leader");
        foreach (var m in state.Members)
            table.AddRow(Cell(m.Address), Cell(m.Status), Cell(string.Join(",", m.Roles)), Cell(m.Version ?? "?"), Cell(m.Reachable ? "yes" : "NO"), Cell(m.Address == state.Leader ? "*" : ""));
        return table;
    }

    /// <summary>
    /// For 80 columns: the leader is named under the table, and the version column is there only
    /// while members differ (a rolling upgrade), cut to the room left; addresses stay whole, as
    /// `etl cluster leave|down` take them.
    /// </summary>
    private static Table CompactMembers(IAnsiConsole console, ClusterProtocol.ClusterStateView state, IReadOnlyList<string> versions)
    {
        var roles = state.Members.Select(m => string.Join(",", m.Roles)).ToList();
        var widths = new[] { Tables.Widest("ADDRESS", state.Members.Select(m => m.Address)), Tables.Widest("STATUS", state.Members.Select(m => m.Status)), "REACH".Length };
        var rolesWidth = Math.Max(5, Tables.Left(console, versions.Count > 1 ? 5 : 4, [.. widths, versions.Count > 1 ? VersionAtLeast : 0]));
        var versionWidth = Math.Max(5, Tables.Left(console, 5, [.. widths, Tables.Widest("ROLES", roles.Select(r => Tables.Fit(r, rolesWidth)))]));
        var table = Tables.Create().Text("Address").Text("Status").Text("Roles").Text("Reach");
        if (versions.Count > 1)
            table.Text("Version");
        foreach (var m in state.Members)
        {
            var cells = new List<IRenderable> { Cell(m.Address), Cell(m.Status), Cell(Tables.Fit(string.Join(",", m.Roles), rolesWidth)), Cell(m.Reachable ? "yes" : "NO") };
            if (versions.Count > 1)
                cells.Add(Cell(Tables.Fit(m.Version ?? "?", versionWidth)));
            table.AddRow(cells);
        }
        return table;
    }

    public static string CommandJson(ClusterProtocol.ClusterCommandDone done) =>
        JsonSerializer.Serialize(new { address = done.Address, message = done.Message }, Json);

    public static string LogLevelJson(ClusterProtocol.LogLevelSet set) =>
        JsonSerializer.Serialize(new { address = set.Address, level = set.Level.ToString(), previous = set.Previous.ToString() }, Json);

    public static string ShardsJson(ClusterProtocol.ShardsView view) => JsonSerializer.Serialize(new
    {
        regions = view.Regions.Select(r => new
        {
            name = r.Name,
            error = r.Error,
            nodes = r.Nodes.Select(n => new
            {
                address = n.Address,
                shards = n.Shards.Select(s => new { id = s.Id, entities = s.Entities, entityIds = s.EntityIds }),
                failedShards = n.FailedShards,
            }),
        }),
    }, Json);

    /// <summary>
    /// `etl cluster shards` in the table style of `cluster show`. On 80 columns a node is its host:port (the
    /// protocol and system name are the same on every row) and the entity ids get the room left.
    /// </summary>
    public static void ShardsTable(ClusterProtocol.ShardsView view, IAnsiConsole? console = null)
    {
        console ??= ConsoleOutput.ForTables();
        var inv = CultureInfo.InvariantCulture;
        var narrow = Tables.IsNarrow(console);
        var rows = new List<(string Region, string Node, string Shard, string Entities, string Ids)>();
        foreach (var region in view.Regions)
        {
            foreach (var node in region.Nodes)
            {
                var address = narrow ? HostAndPort(node.Address) : node.Address;
                if (node.Shards.Count == 0)
                    rows.Add((region.Name, address, "(none)", "0", ""));
                foreach (var shard in node.Shards)
                    rows.Add((region.Name, address, shard.Id, Numbers.Count(shard.Entities), EntityIds(shard)));
                foreach (var failed in node.FailedShards)
                    rows.Add((region.Name, address, failed, "?", "did not report in time"));
            }
        }
        var idsWidth = Math.Max(12, Tables.Left(console, 5,
            Tables.Widest("REGION", rows.Select(r => r.Region)), Tables.Widest("NODE", rows.Select(r => r.Node)),
            Tables.Widest("SHARD", rows.Select(r => r.Shard)), Tables.Widest("ENTITIES", rows.Select(r => r.Entities))));
        var table = Tables.Create().Text("Region").Text("Node").Text("Shard").Number("Entities").Text("Entity ids");
        foreach (var r in rows)
            table.AddRow(Cell(r.Region), Cell(r.Node), Cell(r.Shard), Cell(r.Entities), Cell(Tables.Fit(r.Ids, idsWidth)));
        console.Write(table);
        foreach (var region in view.Regions)
        {
            // Under the table, whole: an error cut to a cell's width would not say what went wrong.
            if (region.Error is not null)
                console.WriteLine($"{region.Name}: error: {region.Error}");
            var shards = region.Nodes.Sum(n => n.Shards.Count);
            var entities = region.Nodes.Sum(n => n.Shards.Sum(s => s.Entities));
            console.WriteLine(string.Create(inv, $"{region.Name}: {shards} shard(s), {Numbers.Count(entities)} entit{(entities == 1 ? "y" : "ies")} on {region.Nodes.Count} node(s)"));
        }
    }

    private static string HostAndPort(string address) =>
        address.LastIndexOf('@') is var at and >= 0 ? address[(at + 1)..] : address;

    private static string EntityIds(ClusterProtocol.ShardView shard) =>
        shard.EntityIds is not { } ids ? "(not listed)"
        : shard.Entities > EntityIdsShown ? string.Join(", ", ids.Take(EntityIdsShown)) + ", …"
        : string.Join(", ", ids);

    // Text, not markup: addresses and errors are data.
    private static IRenderable Cell(string text) => new Text(text);
}
