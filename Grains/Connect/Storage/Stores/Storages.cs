using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Sink;

namespace Tributary.Grains.Connect.Storage.Stores;

/// <summary>
/// The store a sink's configuration names, by <c>store.url</c> (or <c>hdfs.url</c>) and <c>storage.class</c>:
/// <c>file:///path</c> the local file system (which the HDFS sink's <c>HdfsStorage</c> also serves, as Hadoop does),
/// <c>azblob://</c> or an account's blob URL Azure Blob Storage. <c>hdfs://</c>, <c>webhdfs://</c> and <c>s3://</c>
/// are refused with a clear message: no such store yet.
/// </summary>
public static class Storages
{
    private const string HdfsStorageClass = "io.confluent.connect.hdfs.storage.HdfsStorage";
    private const string AzureStorageClass = "io.confluent.connect.azure.blob.storage.AzureBlobStorage";

    public static IStorage Create(StorageSinkConfig config)
    {
        var url = config.StoreUrl ?? (config.Originals.ContainsKey(AzureBlobStorage.ContainerNameConfig) ? "azblob://" : null)
            ?? throw new ConfigException(StorageSinkConfig.StoreUrlConfig, null, "The store's URL is required: file:///path or azblob://container/prefix.");
        var scheme = url.Split("://", 2)[0].ToLowerInvariant();
        var storageClass = config.StorageClass;
        if (scheme is "hdfs" or "webhdfs" or "swebhdfs" or "s3" or "s3a" or "gs" or "abfs" or "abfss" or "wasb" or "wasbs")
        {
            throw new ConfigException(StorageSinkConfig.StoreUrlConfig, url,
                $"{scheme}:// stores are not served yet: use file:///path or Azure Blob Storage (azblob://container/prefix).");
        }

        var azure = scheme is "azblob" or "http" or "https";
        if (storageClass.Length > 0 && storageClass != (azure ? AzureStorageClass : HdfsStorageClass) &&
            storageClass is HdfsStorageClass or AzureStorageClass)
        {
            throw new ConfigException(StorageSinkConfig.StorageClassConfig, storageClass, $"The store URL {url} is not one this storage class serves.");
        }

        if (storageClass.Length > 0 && storageClass is not (HdfsStorageClass or AzureStorageClass))
        {
            throw new ConfigException(StorageSinkConfig.StorageClassConfig, storageClass, "Class not found: no such storage.");
        }

        return azure ? AzureBlobStorage.Create(url, config.Originals) : new LocalFileStorage(url);
    }
}
