# The EtlActors image: one image for every cluster node, with the `etl` CLI beside it.
#   docker build -t etlactors .
#   docker run etlactors                      # a node (see docker-compose.yml for a cluster)
#   docker run --entrypoint etl etlactors --help

# The project files alone, whatever projects src/ holds: restore's layer below is rebuilt only
# when one of them changes, since this stage's output is the same for any other edit.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /source
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# A nuget.config at the top of the repository (for a private feed) is used when present; the
# bracket globs let the COPY succeed without one.
COPY global.json Directory.Build.props Directory.Packages.props NuGet.Confi[g] nuget.confi[g] ./
COPY --from=projects /source/src/ src/
# ReadyToRun for the runtime this stage runs on, the image's platform (the stage is not pinned to the build
# machine's): the libraries come precompiled, so a node or an `etl run` starts on a third less CPU, for 25-30 MB
# more resident memory (bench/README.md, "ReadyToRun"). Restore must know it too, to fetch the compiler.
RUN dotnet restore src/EtlActors.Node --use-current-runtime -p:PublishReadyToRun=true \
 && dotnet restore src/EtlActors.Cli --use-current-runtime -p:PublishReadyToRun=true

COPY src/ src/
# Both go to one folder: they share every library (central package versions), and their own
# files (etl-node.*, etl.*) have distinct names.
RUN dotnet publish src/EtlActors.Node -c Release --use-current-runtime --self-contained false --no-restore \
      -p:PublishReadyToRun=true -p:UseAppHost=false -o /out \
 && dotnet publish src/EtlActors.Cli  -c Release --use-current-runtime --self-contained false --no-restore \
      -p:PublishReadyToRun=true -p:UseAppHost=false -o /out

# ASP.NET Core's runtime image: the node serves /metrics and /health/* with Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/ /app/
# /data/sources is where the compose file mounts the shared sources volume; creating it here,
# owned by the app user, makes a fresh named volume writable by that user too.
RUN printf '#!/bin/sh\nexec dotnet /app/etl.dll "$@"\n' > /usr/local/bin/etl \
 && chmod 755 /usr/local/bin/etl \
 && mkdir -p /data/sources \
 && chown -R "$APP_UID" /data
# APP_UID is the unprivileged `app` user every .NET 8+ image defines.
USER $APP_UID
# Writable, for relative paths (an embedded `etl run` writes ./etl.db); the node reads its
# appsettings.json from /app whatever the working directory.
WORKDIR /data
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
# A node in this image reads sources only under the sources volume, unless told otherwise; an
# embedded `etl run` ignores it.
ENV Etl__SourcesRoot=/data/sources
# Akka.Remote, and the HTTP port (Etl:Http:Port: /metrics, /health/live, /health/ready)
EXPOSE 4053 9464
ENTRYPOINT ["dotnet", "/app/etl-node.dll"]
