using System.Text.Json;
using System.Text.Json.Serialization;

namespace EtlActors.Dashboard.Api;

internal static class DashboardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
