namespace Tributary.Silo.Support;

/// <summary>
/// <c>tributary support-bundle [--health-url URL | --health-port PORT] [--output FILE]</c>: fetches a running silo's
/// support bundle from its health port (default <c>http://127.0.0.1:8090</c>) and writes it to a file (default
/// <c>tributary-support-&lt;time&gt;.zip</c> in the current directory). Exit code 0 when written, 1 when not, 2 for bad
/// arguments.
/// </summary>
public static class SupportBundleCommand
{
    public const string Name = "support-bundle";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? url = null;
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--health-url" when value is not null:
                    url = value.TrimEnd('/');
                    i++;
                    break;
                case "--health-port" when int.TryParse(value, out var port) && port is > 0 and < 65536:
                    url = $"http://127.0.0.1:{port}";
                    i++;
                    break;
                case "--output" when value is not null:
                    file = value;
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"support-bundle: unexpected '{args[i]}'. Usage: support-bundle [--health-url URL | --health-port PORT] [--output FILE]");
                    return 2;
            }
        }

        url ??= "http://127.0.0.1:8090";
        file ??= $"tributary-support-{DateTime.UtcNow:yyyyMMdd-HHmmss}.zip";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            using var response = await http.GetAsync(url + SupportBundleEndpoint.Path, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"support-bundle: {url}{SupportBundleEndpoint.Path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return 1;
            }

            await using (var target = File.Create(file))
            {
                await response.Content.CopyToAsync(target);
            }

            await output.WriteLineAsync($"Wrote {Path.GetFullPath(file)} ({new FileInfo(file).Length} bytes). It stays on this machine: attach it to a bug report if you choose to.");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"support-bundle: could not fetch {url}{SupportBundleEndpoint.Path}: {e.Message}");
            return 1;
        }
    }
}
