namespace EtlActors.Client;

/// <summary>The client's API key: from the options, or else the environment.</summary>
internal static class ClientCredentials
{
    public const string ApiKeyVariable = "ETL_API_KEY";
    public const string ApiKeyFileVariable = "ETL_API_KEY_FILE";

    /// <summary>The key to send, or null when none is given (a node that needs one refuses the command and says so).</summary>
    /// <exception cref="EtlClientException">The key file is named but cannot be read.</exception>
    public static string? ApiKey(EtlClientOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
            return options.ApiKey.Trim();
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key)
            return key.Trim();
        if (Environment.GetEnvironmentVariable(ApiKeyFileVariable) is not { Length: > 0 } file)
            return null;
        try
        {
            return File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } line
                ? line
                : throw new EtlClientException($"{ApiKeyFileVariable}: {file} is empty; its first line should be the API key");
        }
        catch (IOException ex)
        {
            throw new EtlClientException($"{ApiKeyFileVariable}: cannot read {file} ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EtlClientException($"{ApiKeyFileVariable}: cannot read {file} (permission denied)", ex);
        }
    }
}
