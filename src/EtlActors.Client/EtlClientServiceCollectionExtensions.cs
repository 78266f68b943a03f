using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EtlActors.Client;

/// <summary>Registers <see cref="EtlClient"/> with Microsoft.Extensions.DependencyInjection.</summary>
public static class EtlClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="EtlClient"/> for the process, configured by <paramref name="configure"/>. It
    /// is created on first use and disposed with the container.
    /// </summary>
    public static IServiceCollection AddEtlClient(this IServiceCollection services, Action<EtlClientOptions> configure)
    {
        services.AddOptions<EtlClientOptions>().Configure(configure);
        return services.AddEtlClientCore();
    }

    /// <summary>
    /// Adds one <see cref="EtlClient"/> for the process, configured from <paramref name="section"/>
    /// (e.g. <c>"EtlClient": { "Contacts": ["seed:4053"], "Timeout": "00:00:30" }</c>).
    /// </summary>
    public static IServiceCollection AddEtlClient(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<EtlClientOptions>().Bind(section);
        return services.AddEtlClientCore();
    }

    private static IServiceCollection AddEtlClientCore(this IServiceCollection services)
    {
        services.AddSingleton(provider => EtlClient.Connect(provider.GetRequiredService<IOptions<EtlClientOptions>>().Value));
        return services;
    }
}
