/** Every policy of the pack, in the order they are reported. The pack (../index.ts) only assembles these. */
import { Policies } from "@pulumi/policy";
import { warehouseAutoSuspend } from "./warehouseAutoSuspend";
import { noGrantsToPrivilegedRoles } from "./noGrantsToPrivilegedRoles";
import { noOwnershipToPublic } from "./noOwnershipToPublic";
import { taskGraphSuspended } from "./taskGraphSuspended";
import { taskResilience } from "./taskResilience";
import { statefulResourcesProtected } from "./statefulResourcesProtected";
import { stackProtectedFromDestroy } from "./stackProtectedFromDestroy";
import { environmentTags } from "./environmentTags";
import { alertsOnSmallWarehouse } from "./alertsOnSmallWarehouse";
import { predictionRetention } from "./predictionRetention";
import { noAdministratorRoles } from "./noAdministratorRoles";
import { productionEnvironmentReviewers } from "./productionEnvironmentReviewers";
import { mainBranchProtection } from "./mainBranchProtection";

export const POLICIES: Policies = [
    warehouseAutoSuspend,
    noGrantsToPrivilegedRoles,
    noOwnershipToPublic,
    taskGraphSuspended,
    taskResilience,
    statefulResourcesProtected,
    stackProtectedFromDestroy,
    environmentTags,
    alertsOnSmallWarehouse,
    predictionRetention,
    noAdministratorRoles,
    productionEnvironmentReviewers,
    mainBranchProtection,
];
