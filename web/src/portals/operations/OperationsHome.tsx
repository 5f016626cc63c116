import { WelcomePage } from "../../shared/components/WelcomePage";

/** 一网统管: city operations and dispatch. */
export function OperationsHome() {
  return (
    <WelcomePage
      portal="operations"
      capabilities={[
        "operations.cap.events",
        "operations.cap.dispatch",
        "operations.cap.grid",
        "operations.cap.indicators",
      ]}
    />
  );
}
