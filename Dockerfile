# syntax=docker/dockerfile:1
# Multi-stage build of the API. Production paths: docker-compose.yml (SQL Server), docker-compose.postgres.yml (PostgreSQL).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ProxmoxLxc.sln dotnet-tools.json ./
COPY src/ src/
COPY tools/ tools/
# ReadyToRun: the application's and its packages' assemblies are shipped precompiled, so start-up does not JIT them
# (about a third less CPU from process start to /health/ready; see docs/benchmarks.md). The runtime identifier follows
# the image's target architecture (amd64 → linux-x64, arm64 → linux-arm64).
RUN RID="linux-$([ "$TARGETARCH" = "arm64" ] && echo arm64 || echo x64)" && \
    dotnet publish src/WebApi/ProxmoxLxc.WebApi.csproj --configuration Release --output /app /p:UseAppHost=false \
      --runtime "$RID" --self-contained false /p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_RUNNING_IN_CONTAINER=true
COPY --from=build /app ./
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --retries=5 CMD ["dotnet", "ProxmoxLxc.WebApi.dll", "--health-check"]
ENTRYPOINT ["dotnet", "ProxmoxLxc.WebApi.dll"]
