using EtlActors.Contracts.Jobs;

namespace EtlActors.Client;

/// <summary>A request to the cluster failed: the cluster is unreachable, did not answer in time, or answered unexpectedly.</summary>
public class EtlClientException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The cluster was reached but did not answer a request within <see cref="EtlClientOptions.Timeout"/>.</summary>
public sealed class EtlClientTimeoutException(string message, Exception? inner = null) : EtlClientException(message, inner);

/// <summary>The job refused a command in its state (e.g. resuming a completed job); <see cref="Exception.Message"/> says why.</summary>
public sealed class EtlJobRejectedException(JobProtocol.JobRejected rejection) : EtlClientException(rejection.Reason)
{
    /// <summary>The job's answer: its id, its state, and the reason.</summary>
    public JobProtocol.JobRejected Rejection { get; } = rejection;
}
