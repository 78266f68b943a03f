using Akka.Actor;
using Akka.Cluster;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Dashboard.Api;

/// <summary>One member as the overview lists it, with the jobs running on it that the user may see.</summary>
internal sealed record MemberRow(string Address, string HostPort, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Leader, bool Self, int RunningJobs);

internal static class ClusterView
{
    /// <summary>The membership as this node sees it, read from its own cluster extension (no round trip).</summary>
    public static IReadOnlyList<MemberRow> Members(ActorSystem system, IReadOnlyList<JobStatus> visibleJobs)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var running = visibleJobs.Where(j => j.State == JobState.Running && j.Node is not null)
            .GroupBy(j => j.Node!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(m =>
        {
            var hostPort = $"{m.Address.Host}:{m.Address.Port}";
            return new MemberRow(m.Address.ToString(), hostPort, m.Status.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)],
                !unreachable.Contains(m.Address), state.Leader == m.Address, m.Address == cluster.SelfAddress, running.GetValueOrDefault(hostPort));
        })];
    }
}
