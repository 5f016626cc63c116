import { App as AntApp, ConfigProvider } from "antd";
import { type ComponentType, lazy, type ReactNode, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AuthProvider, homePath, useAuth } from "./shared/auth";
import { RequireAuth, RequirePortal, ShellIfSignedIn } from "./shared/guards";
import { antdLocales, I18nProvider, useLocale } from "./shared/i18n";
import { AppShell } from "./shared/layout/AppShell";
import { LoginPage } from "./shared/pages/LoginPage";
import { NoPortalPage, NotFoundPage, PageSpin } from "./shared/pages/StatusPages";
import { themeFor } from "./shared/theme";

/** Each portal's pages load on first visit, so the sign-in page stays small. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Component = lazy(async () => {
    const loaded: ComponentType = (await load())[name];
    return { default: loaded };
  });
  return (
    <Lazy>
      <Component />
    </Lazy>
  );
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSpin />}>{children}</Suspense>;
}

const CitizenHome = page(() => import("./portals/citizen/CitizenHome"), "CitizenHome");
const ServicesHallPage = page(
  () => import("./portals/citizen/services/ServicesHallPage"),
  "ServicesHallPage",
);
const ServiceGuidePage = page(
  () => import("./portals/citizen/services/ServiceGuidePage"),
  "ServiceGuidePage",
);
const ApplyPage = page(() => import("./portals/citizen/services/ApplyPage"), "ApplyPage");
const EditApplicationPage = page(() => import("./portals/citizen/services/ApplyPage"), "EditApplicationPage");
const MyApplicationsPage = page(
  () => import("./portals/citizen/services/MyApplicationsPage"),
  "MyApplicationsPage",
);
const ApplicationPage = page(() => import("./portals/citizen/services/ApplicationPage"), "ApplicationPage");
const ReportPage = page(() => import("./portals/citizen/services/ReportPage"), "ReportPage");
const TrackPage = page(() => import("./portals/citizen/services/TrackPage"), "TrackPage");
const KioskApp = page(() => import("./portals/kiosk/KioskApp"), "KioskApp");
const OfficeHome = page(() => import("./portals/office/OfficeHome"), "OfficeHome");
const TasksPage = page(() => import("./portals/office/TasksPage"), "TasksPage");
const StartPage = page(() => import("./portals/office/StartPage"), "StartPage");
const InstancePage = page(() => import("./portals/office/InstancePage"), "InstancePage");
const DocumentsPage = page(() => import("./portals/office/documents/DocumentsPage"), "DocumentsPage");
const DocumentPage = page(() => import("./portals/office/documents/DocumentPage"), "DocumentPage");
const DocumentEditorPage = page(
  () => import("./portals/office/documents/DocumentEditorPage"),
  "DocumentEditorPage",
);
const SupervisionPage = page(() => import("./portals/office/supervision/SupervisionPage"), "SupervisionPage");
const SupervisionItemPage = page(
  () => import("./portals/office/supervision/SupervisionItemPage"),
  "SupervisionItemPage",
);
const DeskPage = page(() => import("./portals/office/services/DeskPage"), "DeskPage");
const DeskApplicationPage = page(
  () => import("./portals/office/services/DeskApplicationPage"),
  "DeskApplicationPage",
);
const WalkInPage = page(() => import("./portals/office/services/WalkInPage"), "WalkInPage");
const ServiceSupervisionPage = page(
  () => import("./portals/office/services/ServiceSupervisionPage"),
  "ServiceSupervisionPage",
);
const ChatPage = page(() => import("./portals/office/chat/ChatPage"), "ChatPage");
const OperationsHome = page(() => import("./portals/operations/OperationsHome"), "OperationsHome");
const TwinPage = page(() => import("./portals/operations/twin/TwinPage"), "TwinPage");
const MyDataUsesPage = page(() => import("./portals/citizen/MyDataUsesPage"), "MyDataUsesPage");
const DatahubHome = page(() => import("./portals/datahub/DatahubHome"), "DatahubHome");
const CatalogPage = page(() => import("./portals/datahub/CatalogPage"), "CatalogPage");
const ResourcePage = page(() => import("./portals/datahub/ResourcePage"), "ResourcePage");
const RequestsPage = page(() => import("./portals/datahub/RequestsPage"), "RequestsPage");
const RequestPage = page(() => import("./portals/datahub/RequestPage"), "RequestPage");
const GrantsPage = page(() => import("./portals/datahub/GrantsPage"), "GrantsPage");
const ClientsPage = page(() => import("./portals/datahub/ClientsPage"), "ClientsPage");
const UsagePage = page(() => import("./portals/datahub/UsagePage"), "UsagePage");
const ErrorReportsPage = page(() => import("./portals/datahub/ErrorReportsPage"), "ErrorReportsPage");
const ResponsibilitiesPage = page(
  () => import("./portals/datahub/ResponsibilitiesPage"),
  "ResponsibilitiesPage",
);
const MasterSourcesPage = page(() => import("./portals/datahub/master/SourcesPage"), "SourcesPage");
const MasterReviewsPage = page(() => import("./portals/datahub/master/ReviewsPage"), "ReviewsPage");
const MasterQualityPage = page(() => import("./portals/datahub/master/QualityPage"), "QualityPage");
const MasterRecordsPage = page(() => import("./portals/datahub/master/RecordsPage"), "RecordsPage");
const AdminOverview = page(() => import("./portals/admin/AdminOverview"), "AdminOverview");
const DepartmentsPage = page(() => import("./portals/admin/DepartmentsPage"), "DepartmentsPage");
const StaffPage = page(() => import("./portals/admin/StaffPage"), "StaffPage");
const RolesPage = page(() => import("./portals/admin/RolesPage"), "RolesPage");
const AuditPage = page(() => import("./portals/admin/AuditPage"), "AuditPage");
const CalendarPage = page(() => import("./portals/admin/CalendarPage"), "CalendarPage");
const TwinClientsPage = page(() => import("./portals/admin/TwinClientsPage"), "TwinClientsPage");
const ProcessesPage = page(() => import("./portals/admin/ProcessesPage"), "ProcessesPage");
const ProcessEditorPage = page(() => import("./portals/admin/ProcessEditorPage"), "ProcessEditorPage");

function HomeRedirect() {
  const { me } = useAuth();
  return <Navigate to={me ? homePath(me) : "/login"} replace />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/track/:receiptNo" element={TrackPage} />
      <Route path="/kiosk/*" element={KioskApp} />
      <Route element={<RequireAuth />}>
        <Route index element={<HomeRedirect />} />
        <Route path="/no-portal" element={<NoPortalPage />} />
        <Route element={<AppShell />}>
          <Route path="/citizen" element={<RequirePortal portal="citizen" />}>
            <Route index element={CitizenHome} />
            <Route path="data-uses" element={MyDataUsesPage} />
            <Route path="services" element={ServicesHallPage} />
            <Route path="services/:id" element={ServiceGuidePage} />
            <Route path="services/:id/apply" element={ApplyPage} />
            <Route path="applications" element={MyApplicationsPage} />
            <Route path="applications/:id" element={ApplicationPage} />
            <Route path="applications/:id/edit" element={EditApplicationPage} />
            <Route path="reports/new" element={ReportPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="/office" element={<RequirePortal portal="office" />}>
            <Route index element={OfficeHome} />
            <Route path="tasks" element={TasksPage} />
            <Route path="start" element={StartPage} />
            <Route path="instances/:id" element={InstancePage} />
            <Route path="documents" element={DocumentsPage} />
            <Route path="documents/new" element={DocumentEditorPage} />
            <Route path="documents/:id" element={DocumentPage} />
            <Route path="documents/:id/edit" element={DocumentEditorPage} />
            <Route path="supervision" element={SupervisionPage} />
            <Route path="supervision/:id" element={SupervisionItemPage} />
            <Route path="services/desk" element={DeskPage} />
            <Route path="services/applications/:id" element={DeskApplicationPage} />
            <Route path="services/walk-in" element={WalkInPage} />
            <Route path="services/supervision" element={ServiceSupervisionPage} />
            <Route path="chat" element={ChatPage} />
            <Route path="chat/:roomId" element={ChatPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="/operations" element={<RequirePortal portal="operations" />}>
            <Route index element={OperationsHome} />
            <Route path="twin" element={TwinPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="/datahub" element={<RequirePortal portal="datahub" />}>
            <Route index element={DatahubHome} />
            <Route path="catalog" element={CatalogPage} />
            <Route path="catalog/:id" element={ResourcePage} />
            <Route path="requests" element={RequestsPage} />
            <Route path="requests/:id" element={RequestPage} />
            <Route path="grants" element={GrantsPage} />
            <Route path="clients" element={ClientsPage} />
            <Route path="usage" element={UsagePage} />
            <Route path="error-reports" element={ErrorReportsPage} />
            <Route path="responsibilities" element={ResponsibilitiesPage} />
            <Route path="master" element={MasterSourcesPage} />
            <Route path="master/reviews" element={MasterReviewsPage} />
            <Route path="master/quality" element={MasterQualityPage} />
            <Route path="master/records" element={MasterRecordsPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="/admin" element={<RequirePortal portal="admin" />}>
            <Route index element={AdminOverview} />
            <Route path="departments" element={DepartmentsPage} />
            <Route path="staff" element={StaffPage} />
            <Route path="roles" element={RolesPage} />
            <Route path="audit" element={AuditPage} />
            <Route path="calendar" element={CalendarPage} />
            <Route path="twin-clients" element={TwinClientsPage} />
            <Route path="processes" element={ProcessesPage} />
            <Route path="processes/edit" element={ProcessEditorPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Route>
      <Route
        path="*"
        element={
          <ShellIfSignedIn>
            <NotFoundPage />
          </ShellIfSignedIn>
        }
      />
    </Routes>
  );
}

function Themed() {
  const locale = useLocale();
  return (
    <ConfigProvider locale={antdLocales[locale]} theme={themeFor(locale)}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
