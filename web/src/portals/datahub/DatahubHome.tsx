import { WelcomePage } from "../../shared/components/WelcomePage";

/** 一网共享: the data catalogue and sharing requests. */
export function DatahubHome() {
  return (
    <WelcomePage
      portal="datahub"
      capabilities={[
        "datahub.cap.catalog",
        "datahub.cap.requests",
        "datahub.cap.quality",
        "datahub.cap.usage",
      ]}
    />
  );
}
