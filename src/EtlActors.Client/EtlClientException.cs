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

/// <summary>
/// A node answers at a contact's port, but only to another host name: nodes drop messages addressed to any name but
/// the one they announce (<c>Etl:Hostname</c>, or <c>Etl:PublicHostname</c>), so this contact would only time out.
/// </summary>
public sealed class EtlContactMismatchException(string contact, string answersTo)
    : EtlClientException($"the node at {contact} answers to {answersTo}, not to {contact}: use {answersTo} as its contact")
{
    /// <summary>The contact as given, <c>host:port</c>.</summary>
    public string Contact { get; } = contact;

    /// <summary>The <c>host:port</c> the node answers to.</summary>
    public string AnswersTo { get; } = answersTo;
}
