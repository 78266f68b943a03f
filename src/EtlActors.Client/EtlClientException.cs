namespace EtlActors.Client;

/// <summary>A request to the cluster failed: no node answered in time, or the answer was not the one expected.</summary>
public sealed class EtlClientException(string message, Exception? inner = null) : Exception(message, inner);
