// An AKS cluster for Tributary brokers, and a Storage Account whose tables hold Orleans membership and whose blobs
// hold grain state (Tributary:Cluster:Membership=AzureTable, Tributary:Cluster:Storage=AzureBlob).
//
//   az group create -n tributary -l westeurope
//   az deployment group create -g tributary -f infra/azure/main.bicep -p infra/azure/main.bicepparam
//
// The storage key is not an output: read the connection string with the az CLI when creating the Kubernetes Secret
// (see infra/azure/README.md).

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Name of the AKS cluster.')
param clusterName string = 'tributary'

@description('VM size of the system node pool, which also runs the brokers.')
param nodeVmSize string = 'Standard_D4s_v5'

@description('Nodes in the system node pool: at least one per broker, so that brokers spread across nodes.')
@minValue(1)
@maxValue(100)
param nodeCount int = 3

@description('Name of the Storage Account (3-24 lowercase letters and digits, unique across Azure).')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'tributary${uniqueString(resourceGroup().id)}'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The silos authenticate with the account's connection string.
    allowSharedKeyAccess: true
    accessTier: 'Hot'
  }
}

// Orleans creates its membership table and grain-state container on first start; nothing else to declare.

resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: clusterName
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: clusterName
    enableRBAC: true
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        type: 'VirtualMachineScaleSets'
        osType: 'Linux'
        vmSize: nodeVmSize
        count: nodeCount
      }
    ]
    networkProfile: {
      // Overlay networking: pods get IPs outside the VNet range; silos reach each other at those pod IPs.
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
    }
  }
}

output aksName string = aks.name
output storageAccountName string = storage.name
