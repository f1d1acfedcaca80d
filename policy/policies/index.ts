/** Every policy of the pack, in the order they are reported. The pack (../index.ts) only assembles these. */
import { Policies } from "@pulumi/policy";
import { warehouseAutoSuspend } from "./warehouseAutoSuspend";
import { warehouseResourceMonitor } from "./warehouseResourceMonitor";
import { resourceMonitorLimits } from "./resourceMonitorLimits";
import { noGrantsToPrivilegedRoles } from "./noGrantsToPrivilegedRoles";
import { noOwnershipToPublic } from "./noOwnershipToPublic";
import { taskGraphSuspended } from "./taskGraphSuspended";
import { taskResilience } from "./taskResilience";
import { statefulResourcesProtected } from "./statefulResourcesProtected";
import { stackProtectedFromDestroy } from "./stackProtectedFromDestroy";
import { environmentTags } from "./environmentTags";
import { alertsOnSmallWarehouse } from "./alertsOnSmallWarehouse";
import { predictionRetention } from "./predictionRetention";
import { adminRoleOnlyForMonitors } from "./adminRoleOnlyForMonitors";
import { productionEnvironmentReviewers } from "./productionEnvironmentReviewers";
import { mainBranchProtection } from "./mainBranchProtection";

export const POLICIES: Policies = [
    warehouseAutoSuspend,
    warehouseResourceMonitor,
    resourceMonitorLimits,
    noGrantsToPrivilegedRoles,
    noOwnershipToPublic,
    taskGraphSuspended,
    taskResilience,
    statefulResourcesProtected,
    stackProtectedFromDestroy,
    environmentTags,
    alertsOnSmallWarehouse,
    predictionRetention,
    adminRoleOnlyForMonitors,
    productionEnvironmentReviewers,
    mainBranchProtection,
];
