using './main.bicep'

param clusterName = 'tributary'
param nodeVmSize = 'Standard_D4s_v5'
param nodeCount = 3
