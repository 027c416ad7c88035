// The list of services plus the merged "All services" entry; collapses behind a toggle on narrow screens.
import { useSignal, type ReadonlySignal } from "@preact/signals";
import { ALL_SERVICES } from "../../shared/protocol.ts";
import { isFailed } from "../../shared/service.ts";
import type { ServicesModel } from "../models/services.ts";
import type { ViewModel } from "../models/view.ts";
import { ServiceRow } from "./ServiceRow.tsx";

export interface ServiceListProps {
  services: ServicesModel;
  view: ViewModel;
  now: ReadonlySignal<number>;
}

/** The sidebar. */
export function ServiceList({ services, view, now }: ServiceListProps) {
  const isOpen = useSignal(false);
  const list = services.list.value;
  const selected = view.selected.value;
  const failed = list.filter((s) => isFailed(s.state)).length;
  const select = (key: string) => {
    view.select(key);
    isOpen.value = false;
  };
  return (
    <nav class={`sidebar${isOpen.value ? " open" : ""}`} aria-label="services">
      <button type="button" class="list-toggle" aria-expanded={isOpen.value} onClick={() => (isOpen.value = !isOpen.value)}>
        {`${selected === ALL_SERVICES ? "All services" : selected} · ${list.length} services${failed > 0 ? `, ${failed} failing` : ""}`}
        <span aria-hidden="true">{isOpen.value ? " ▴" : " ▾"}</span>
      </button>
      <ul class="service-list">
        <li class={`service all${selected === ALL_SERVICES ? " selected" : ""}`} data-service={ALL_SERVICES} aria-current={selected === ALL_SERVICES}>
          <button type="button" class="service-pick" onClick={() => select(ALL_SERVICES)}>
            <span class="service-name">All services</span>
            <span class="muted">merged</span>
          </button>
        </li>
        {list.map((status) => (
          <ServiceRow
            key={status.name}
            status={status}
            services={services}
            now={now}
            isSelected={status.name === selected}
            onSelect={() => select(status.name)}
          />
        ))}
      </ul>
    </nav>
  );
}
