import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CameraOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  DiffOutlined,
  ExceptionOutlined,
  FileTextOutlined,
  FlagOutlined,
  FundOutlined,
  GlobalOutlined,
  HomeOutlined,
  IdcardOutlined,
  InboxOutlined,
  MessageOutlined,
  NodeIndexOutlined,
  PartitionOutlined,
  PlusCircleOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserAddOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { MessageKey } from "./i18n";
import { MASTER_OFFICER_ROLES } from "./masterdata";
import { SERVICE_APPLICANT_ROLES, SERVICE_DESK_ROLES, SERVICE_SUPERVISION_ROLES } from "./services";
import type { PortalId } from "./types";

export interface NavItem {
  key: string;
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** The roles the page serves; every role of the portal when absent. */
  roles?: readonly string[];
}

export interface PortalInfo {
  id: PortalId;
  name: MessageKey;
  short: MessageKey;
  purpose: MessageKey;
  icon: ReactNode;
  nav: NavItem[];
}

export const PORTALS: Record<PortalId, PortalInfo> = {
  citizen: {
    id: "citizen",
    name: "portal.citizen.name",
    short: "portal.citizen.short",
    purpose: "portal.citizen.purpose",
    icon: <SolutionOutlined />,
    nav: [
      { key: "home", path: "/citizen", label: "nav.home", icon: <HomeOutlined /> },
      {
        key: "services",
        path: "/citizen/services",
        label: "services.nav.hall",
        icon: <ShopOutlined />,
        roles: SERVICE_APPLICANT_ROLES,
      },
      {
        key: "applications",
        path: "/citizen/applications",
        label: "services.nav.my",
        icon: <ProfileOutlined />,
        roles: SERVICE_APPLICANT_ROLES,
      },
      {
        key: "reports",
        path: "/citizen/reports/new",
        label: "services.nav.report",
        icon: <CameraOutlined />,
        roles: SERVICE_APPLICANT_ROLES,
      },
    ],
  },
  office: {
    id: "office",
    name: "portal.office.name",
    short: "portal.office.short",
    purpose: "portal.office.purpose",
    icon: <AppstoreOutlined />,
    nav: [
      { key: "home", path: "/office", label: "nav.home", icon: <HomeOutlined /> },
      { key: "tasks", path: "/office/tasks", label: "nav.office.tasks", icon: <CheckSquareOutlined /> },
      { key: "start", path: "/office/start", label: "nav.office.start", icon: <PlusCircleOutlined /> },
      { key: "documents", path: "/office/documents", label: "office.doc.nav", icon: <FileTextOutlined /> },
      { key: "supervision", path: "/office/supervision", label: "office.sup.nav", icon: <FlagOutlined /> },
      { key: "chat", path: "/office/chat", label: "nav.office.chat", icon: <MessageOutlined /> },
      {
        key: "services-desk",
        path: "/office/services/desk",
        label: "services.nav.desk",
        icon: <InboxOutlined />,
        roles: SERVICE_DESK_ROLES,
      },
      {
        key: "services-walk-in",
        path: "/office/services/walk-in",
        label: "services.nav.walkIn",
        icon: <UserAddOutlined />,
        roles: ["clerk"],
      },
      {
        key: "services-supervision",
        path: "/office/services/supervision",
        label: "services.nav.supervision",
        icon: <AlertOutlined />,
        roles: SERVICE_SUPERVISION_ROLES,
      },
    ],
  },
  operations: {
    id: "operations",
    name: "portal.operations.name",
    short: "portal.operations.short",
    purpose: "portal.operations.purpose",
    icon: <DeploymentUnitOutlined />,
    nav: [
      { key: "home", path: "/operations", label: "nav.home", icon: <DashboardOutlined /> },
      { key: "twin", path: "/operations/twin", label: "twin.nav", icon: <GlobalOutlined /> },
    ],
  },
  datahub: {
    id: "datahub",
    name: "portal.datahub.name",
    short: "portal.datahub.short",
    purpose: "portal.datahub.purpose",
    icon: <DatabaseOutlined />,
    nav: [
      { key: "home", path: "/datahub", label: "nav.home", icon: <HomeOutlined /> },
      { key: "catalog", path: "/datahub/catalog", label: "datahub.nav.catalog", icon: <DatabaseOutlined /> },
      { key: "requests", path: "/datahub/requests", label: "datahub.nav.requests", icon: <SendOutlined /> },
      {
        key: "grants",
        path: "/datahub/grants",
        label: "datahub.nav.grants",
        icon: <SafetyCertificateOutlined />,
      },
      { key: "clients", path: "/datahub/clients", label: "datahub.nav.clients", icon: <ApiOutlined /> },
      { key: "usage", path: "/datahub/usage", label: "datahub.nav.usage", icon: <BarChartOutlined /> },
      {
        key: "errors",
        path: "/datahub/error-reports",
        label: "datahub.nav.errors",
        icon: <ExceptionOutlined />,
      },
      {
        key: "responsibilities",
        path: "/datahub/responsibilities",
        label: "datahub.nav.responsibilities",
        icon: <AuditOutlined />,
      },
      {
        key: "master",
        path: "/datahub/master",
        label: "datahub.nav.master",
        icon: <PartitionOutlined />,
      },
      {
        key: "master-reviews",
        path: "/datahub/master/reviews",
        label: "datahub.nav.masterReviews",
        icon: <DiffOutlined />,
        roles: MASTER_OFFICER_ROLES,
      },
      {
        key: "master-quality",
        path: "/datahub/master/quality",
        label: "datahub.nav.masterQuality",
        icon: <FundOutlined />,
      },
      {
        key: "master-records",
        path: "/datahub/master/records",
        label: "datahub.nav.masterRecords",
        icon: <IdcardOutlined />,
      },
    ],
  },
  admin: {
    id: "admin",
    name: "portal.admin.name",
    short: "portal.admin.short",
    purpose: "portal.admin.purpose",
    icon: <SettingOutlined />,
    nav: [
      { key: "overview", path: "/admin", label: "nav.admin.overview", icon: <HomeOutlined /> },
      {
        key: "departments",
        path: "/admin/departments",
        label: "nav.admin.departments",
        icon: <ApartmentOutlined />,
      },
      { key: "staff", path: "/admin/staff", label: "nav.admin.staff", icon: <TeamOutlined /> },
      { key: "roles", path: "/admin/roles", label: "nav.admin.roles", icon: <SafetyCertificateOutlined /> },
      { key: "audit", path: "/admin/audit", label: "nav.admin.audit", icon: <AuditOutlined /> },
      { key: "calendar", path: "/admin/calendar", label: "nav.admin.calendar", icon: <CalendarOutlined /> },
      {
        key: "twin-clients",
        path: "/admin/twin-clients",
        label: "nav.admin.twinClients",
        icon: <ClusterOutlined />,
      },
      {
        key: "processes",
        path: "/admin/processes",
        label: "nav.admin.processes",
        icon: <NodeIndexOutlined />,
      },
    ],
  },
};

/** The portal a path belongs to, from its first segment. */
export function portalOfPath(pathname: string): PortalId | null {
  const first = pathname.split("/")[1] ?? "";
  return first in PORTALS ? (first as PortalId) : null;
}

/** The nav item a path selects: the longest matching prefix. */
export function navKeyOf(portal: PortalInfo, pathname: string): string | undefined {
  let best: NavItem | undefined;
  for (const item of portal.nav) {
    if (pathname === item.path || pathname.startsWith(`${item.path}/`)) {
      if (!best || item.path.length > best.path.length) best = item;
    }
  }
  return best?.key;
}
