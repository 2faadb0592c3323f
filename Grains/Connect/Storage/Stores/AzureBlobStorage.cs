using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Sink;

namespace Tributary.Grains.Connect.Storage.Stores;

/// <summary>
/// A store in an Azure Blob Storage (or ADLS Gen2) container, through Azure.Storage.Blobs. The URL is
/// <c>azblob://container/prefix</c> with the account from <c>azblob.connection.string</c> or <c>azblob.account.name</c>
/// and <c>azblob.account.key</c>, or the container's own URL (<c>https://account.blob.core.windows.net/container/prefix</c>,
/// or an emulator's path-style <c>http://127.0.0.1:10000/account/container</c>) with the account key or a SAS token
/// (<c>azblob.sas.token</c>). Without a container in the URL, <c>azblob.container.name</c> names it. The container is
/// created when missing. A temporary file is a block blob written in blocks and made whole when its stream is disposed;
/// a commit copies it to its committed name within the account, waits for the copy, then deletes the temporary blob, so a
/// committed name holds a whole file or nothing. Thread-safe.
/// </summary>
public sealed class AzureBlobStorage : IStorage
{
    public const string ConnectionStringConfig = "azblob.connection.string";
    public const string AccountNameConfig = "azblob.account.name";
    public const string AccountKeyConfig = "azblob.account.key";
    public const string SasTokenConfig = "azblob.sas.token";
    public const string ContainerNameConfig = "azblob.container.name";

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _exists;

    private AzureBlobStorage(string url, BlobContainerClient container, string prefix)
    {
        Url = url;
        _container = container;
        _prefix = prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
    }

    public string Url { get; }

    public static AzureBlobStorage Create(string url, IReadOnlyDictionary<string, string> settings)
    {
        string? Get(string key) => settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        try
        {
            if (url.StartsWith("azblob://", StringComparison.OrdinalIgnoreCase))
            {
                var rest = url["azblob://".Length..];
                var slash = rest.IndexOf('/');
                var containerName = (slash < 0 ? rest : rest[..slash]) is { Length: > 0 } named ? named : Get(ContainerNameConfig)
                    ?? throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url, "The URL names no container and azblob.container.name is not set.");
                var prefix = slash < 0 ? "" : rest[(slash + 1)..];
                BlobServiceClient service;
                if (Get(ConnectionStringConfig) is { } connectionString)
                {
                    service = new BlobServiceClient(connectionString);
                }
                else if (Get(AccountNameConfig) is { } account && Get(AccountKeyConfig) is { } key)
                {
                    service = new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), new StorageSharedKeyCredential(account, key));
                }
                else
                {
                    throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url,
                        "An azblob:// store needs azblob.connection.string, or azblob.account.name and azblob.account.key.");
                }

                return new AzureBlobStorage(url, service.GetBlobContainerClient(containerName), prefix);
            }

            var uri = new Uri(url);
            var parts = new BlobUriBuilder(uri);
            var container = parts.BlobContainerName is { Length: > 0 } c ? c : Get(ContainerNameConfig)
                ?? throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url, "The URL names no container and azblob.container.name is not set.");
            var blobPrefix = parts.BlobName ?? "";
            parts.BlobContainerName = container;
            parts.BlobName = "";
            var containerUri = parts.ToUri();
            var accountName = Get(AccountNameConfig) ?? parts.AccountName;
            BlobContainerClient client = Get(AccountKeyConfig) is { } accountKey
                ? new BlobContainerClient(containerUri, new StorageSharedKeyCredential(accountName, accountKey))
                : Get(SasTokenConfig) is { } sas
                    ? new BlobContainerClient(containerUri, new AzureSasCredential(sas.TrimStart('?')))
                    : throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url, "An Azure blob URL needs azblob.account.key or azblob.sas.token.");
            return new AzureBlobStorage(url, client, blobPrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url, "Not a valid Azure Blob Storage location: " + e.Message);
        }
    }

    public async Task<Stream> CreateAsync(string path, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        return await Blob(path).OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = 4 << 20 }, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task CommitAsync(string tempPath, string committedPath, CancellationToken cancellationToken)
    {
        var temp = Blob(tempPath);
        var committed = Blob(committedPath);
        if (!await committed.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var copy = await committed.StartCopyFromUriAsync(temp.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
            await copy.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
            var properties = await committed.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.CopyStatus is CopyStatus.Failed or CopyStatus.Aborted)
            {
                await committed.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                throw new IOException($"Copying {tempPath} to {committedPath} in {Url} failed: {properties.Value.CopyStatusDescription}");
            }
        }

        await temp.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<string> ListAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!await ContainerExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        var prefix = _prefix + directory.Trim('/') + "/";
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name[_prefix.Length..];
        }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        await ContainerExistsAsync(cancellationToken).ConfigureAwait(false) &&
        (await Blob(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        if (await ContainerExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await Blob(path).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        await Blob(path).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);

    private BlockBlobClient Blob(string path)
    {
        if (path.Split('/').Any(part => part is ".." or "."))
        {
            throw new ArgumentException($"The path {path} is outside the store {Url}.", nameof(path));
        }

        return _container.GetBlockBlobClient(_prefix + path.TrimStart('/'));
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_exists)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _exists = true;
        }
        finally
        {
            _created.Release();
        }
    }

    private async Task<bool> ContainerExistsAsync(CancellationToken cancellationToken)
    {
        if (!_exists)
        {
            try
            {
                _exists = await _container.ExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
        }

        return _exists;
    }
}
